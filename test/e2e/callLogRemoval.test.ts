import { testIds } from '../../renderer/ui/testIds';
import { callAndCancel, openCallLog } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment();

/** The log as the user sees it: each day's heading with the call ids listed under it. */
function readDays(client: ParleyClient): Promise<{ heading: string; calls: string[] }[]> {
  return client.byTestId(testIds.callLogDay).evaluateAll(
    (days, entryId) =>
      days.map((day) => ({
        heading: day.querySelector('h3')?.textContent ?? '',
        calls: [...day.querySelectorAll(`[data-testid="${entryId}"]`)].map(
          (entry) => entry.getAttribute('data-call-id') ?? '',
        ),
      })),
    testIds.callLogEntry,
  );
}

test('two calls show under Today; one is removed, the rest cleared, and a reload keeps them gone', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await callAndCancel(alice, bob);
  await callAndCancel(alice, bob);

  // Alice's own log lists both calls, under today's heading.
  await openCallLog(alice);
  const before = await pollUntil(
    () => readDays(alice),
    (days) => days.length === 1 && days[0]!.calls.length === 2,
    'two calls in the call log',
  );
  expect(before[0]!.heading).toBe('Today');
  const [newest, older] = before[0]!.calls as [string, string];

  // Remove the newest call: only the older one stays.
  await alice.page
    .locator(`[data-call-id="${newest}"] [data-testid="${testIds.callLogRemove}"]`)
    .click();
  await pollUntil(
    () => readDays(alice),
    (days) => JSON.stringify(days) === JSON.stringify([{ heading: 'Today', calls: [older] }]),
    'the removed call to leave the log',
  );

  // Clear the rest, confirming the question.
  let question = '';
  alice.page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await alice.click(testIds.callLogClear);
  await alice.page.getByText('No calls yet.').waitFor();
  expect(question).toMatch(/^Clear your call log\?/);

  // The server kept the removal: after a reload the log is still empty.
  await alice.page.reload();
  await alice.waitForScreen(testIds.screenContacts);
  await openCallLog(alice);
  await alice.page.getByText('No calls yet.').waitFor();
  await expect(alice.byTestId(testIds.callLogEntry).count()).resolves.toBe(0);

  // Bob, the other party, keeps his call in his log.
  await openCallLog(bob);
  await pollUntil(
    () => bob.byTestId(testIds.callLogEntry).count(),
    (count) => count >= 1,
    "bob's entry for alice's calls",
  );
});

import { testIds } from '../../renderer/ui/testIds';
import { openCallLog } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { shortGroupVoiceCall } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A group call in the call log of each person, as they see it in the app (docs/protocol.md "Call
 * log", group calls): real Chromium pages, the real server with its SFU on loopback.
 */
jest.setTimeout(300_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallLog') });

interface ShownEntry {
  title: string;
  detail: string;
  outcome: string;
  others: string;
}

/** The call log's rows as drawn, once it lists `count` of them. */
async function shownLog(client: ParleyClient, count: number): Promise<ShownEntry[]> {
  // Loaded at sign-in: the page is loaded again so the log is the server's as it is now.
  await client.page.reload();
  await client.waitForScreen(testIds.screenContacts);
  await openCallLog(client);
  return pollUntil(
    () =>
      client.byTestId(testIds.callLogEntry).evaluateAll((rows) =>
        rows.map((row) => ({
          title: row.querySelector('.call-log__name')?.textContent ?? '',
          detail: row.querySelector('.call-log__detail')?.textContent ?? '',
          outcome: row.getAttribute('data-outcome') ?? '',
          others: row.getAttribute('data-others') ?? '',
        })),
      ),
    (rows) => rows.length === count,
    `${client.username}'s call log to list ${count} call`,
  );
}

const isolated = (name: string) => `\u2068${name}\u2069`;

test('after a group call, each person sees it in their log: who was in it, and how it went for them', async () => {
  // Alice rings Bob and Carol into a voice call; Carol declines, Bob joins, then leaves, which
  // ends it.
  const { alice, carol } = await shortGroupVoiceCall(env);

  expect(await shownLog(alice, 1)).toEqual([
    {
      title: `Group call with ${isolated('Bob Marley')}`,
      detail: expect.stringMatching(/^Outgoing group voice · \d+:\d\d$/),
      outcome: 'answered',
      others: 'bob carol',
    },
  ]);
  expect(await shownLog(carol, 1)).toEqual([
    {
      title: `Group call with ${isolated('Alice Liddell')} and ${isolated('Bob Marley')}`,
      detail: 'Incoming group voice · Declined',
      outcome: 'declined',
      others: 'alice bob',
    },
  ]);
});

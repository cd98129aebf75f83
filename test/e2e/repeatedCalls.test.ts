import { testIds } from '../../renderer/ui/testIds';
import { callAndCancel, openCallLog } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';

// Real Chromium on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

/** Three calls to one person at once, then one every minute: reached within the test. */
const REDIAL_BURST = 3;

const env = fileEnvironment({
  inviteLimits: { perPair: { burst: REDIAL_BURST, everyMs: 60_000 } },
});

test('repeated missed calls are one call-log entry with a count; one more call is refused in words', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  for (let i = 0; i < REDIAL_BURST; i += 1) await callAndCancel(alice, bob);

  // Bob's log shows the three calls as one entry, counted the way phone call logs do.
  await openCallLog(bob);
  const merged = bob.withAttribute(testIds.callLogEntry, 'data-count', '3');
  await merged.waitFor({ state: 'attached' });
  await expect(bob.byTestId(testIds.callLogEntry).count()).resolves.toBe(1);
  const entryText = await merged.innerText();
  expect(entryText).toContain('Alice Liddell (3)');
  expect(entryText).toContain('Missed');
  // Alice's own log keeps each call.
  await openCallLog(alice);
  await alice.withAttribute(testIds.callLogEntry, 'data-count', '1').nth(2).waitFor();
  await expect(alice.byTestId(testIds.callLogEntry).count()).resolves.toBe(3);

  // A fourth call at once is refused: nothing rings, and alice is told why and when to retry.
  await alice.click(testIds.navContacts);
  await alice.waitForScreen(testIds.screenContacts);
  await alice.callByUsername('bob', 'audio');
  await alice.waitForCallEnded('too_many_calls');
  await expect(alice.byTestId(testIds.callNotice).innerText()).resolves.toMatch(
    /too many calls in a short time\. Try again in \d+ seconds\./,
  );
  await expect(bob.byTestId(testIds.screenIncoming).count()).resolves.toBe(0);
});

test('a missed call is called back from its call-log entry, with the same kind of call', async () => {
  const carol = await env.registeredClient('carol', 'Carol Danvers');
  const dave = await env.registeredClient('dave', 'Dave Grohl');
  await carol.callByUsername('dave', 'audio');
  await dave.waitForIncomingCall();
  await carol.click(testIds.cancelButton);
  await dave.waitForCallEnded('missed');
  // The Calls tab counts the missed call until Dave looks at the log.
  expect(await dave.byTestId(testIds.missedCallsBadge).innerText()).toBe('1');

  await openCallLog(dave);
  await dave.byTestId(testIds.missedCallsBadge).waitFor({ state: 'detached' });
  const missed = dave.withAttribute(testIds.callLogEntry, 'data-peer', 'carol');
  await missed.waitFor({ state: 'attached' });
  await missed.locator(`[data-testid="${testIds.callLogCallBack}"]`).click();
  await dave.waitForRinging();
  expect(await carol.waitForIncomingCall()).toContain('Dave Grohl');
  // A voice call, as the one missed: Carol is offered no video.
  await expect(carol.byTestId(testIds.acceptVideoButton).count()).resolves.toBe(0);
  await dave.click(testIds.cancelButton);
  await carol.waitForCallEnded('missed');
});

test('a missed call is called back from the end-of-call notice too, with the same kind of call', async () => {
  const erin = await env.registeredClient('erin', 'Erin Brockovich');
  const frank = await env.registeredClient('frank', 'Frank Ocean');
  await erin.callByUsername('frank', 'video');
  await frank.waitForIncomingCall();
  await erin.click(testIds.cancelButton);
  await frank.waitForCallEnded('missed');
  await frank.click(testIds.callNoticeCallBack);
  await frank.waitForRinging();
  expect(await erin.waitForIncomingCall()).toContain('Frank Ocean');
  // The same kind of call as the one missed: a video call.
  await erin.byTestId(testIds.acceptVideoButton).waitFor();
  await frank.click(testIds.cancelButton);
  await erin.waitForCallEnded('missed');
});

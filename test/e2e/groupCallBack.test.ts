import { testIds } from '../../renderer/ui/testIds';
import { openCallLog } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { shortGroupVoiceCall, waitForRingtone, waitForTileNames } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * "Call back" on a group call's row of the call log, as WhatsApp and Signal do it: a new group
 * call, with the same media, ringing the same people. Real Chromium pages, the real server with
 * its SFU on loopback.
 */
jest.setTimeout(300_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallBack') });

/** What the invitation screen says of the call: the inviter, the kind of call, who is in it. */
async function invitation(client: ParleyClient) {
  await client.waitForScreen(testIds.screenGroupInvite);
  return {
    from: await client.readText(testIds.groupInviteFrom),
    kind: await client.page.locator('.call-screen__status').innerText(),
  };
}

test('"Call the group back" on a group row rings both others into a new call with the same media', async () => {
  // Alice rings Bob and Carol into a voice call; Carol declines, Bob joins, then leaves, which
  // ends it.
  const { alice, bob, carol } = await shortGroupVoiceCall(env);

  // Alice's log has the group call; its button says what it does.
  await openCallLog(alice);
  const row = alice.page.locator(testIdSelector(testIds.callLogEntry));
  await pollUntil(
    () => row.count(),
    (count) => count === 1,
    "Alice's call log to list the group call",
  );
  const button = row.locator(testIdSelector(testIds.callLogCallBack));
  expect(await button.getAttribute('title')).toBe('Call the group back');
  expect(await button.getAttribute('aria-label')).toBe(
    'Call the group back (voice): \u2068Bob Marley\u2069, \u2068Carol King\u2069',
  );
  const loggedCallId = await row.getAttribute('data-call-id');

  await button.click();
  await alice.waitForScreen(testIds.screenGroupCall);
  // Both are rung, Carol too though she declined the last time, into a voice call again.
  for (const invitee of [bob, carol]) {
    expect(await invitation(invitee)).toEqual({
      from: 'Alice Liddell',
      kind: 'Invites you to a group voice call',
    });
    await waitForRingtone(invitee, true);
  }
  await bob.click(testIds.groupJoinButton);
  await carol.click(testIds.groupJoinButton);
  for (const client of [alice, bob, carol]) {
    await client.waitForScreen(testIds.screenGroupCall);
    await waitForTileNames(client, ['Alice Liddell', 'Bob Marley', 'Carol King']);
  }

  // A new call: once it is over, the log holds two group calls.
  for (const client of [bob, carol]) await client.click(testIds.leaveCallButton);
  // Back where she called from.
  await alice.waitForScreen(testIds.screenCallLog);
  const callIds = await pollUntil(
    () => row.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call-id'))),
    (ids) => ids.length === 2,
    "Alice's call log to list both group calls",
  );
  expect(callIds).toContain(loggedCallId);
  expect(new Set(callIds).size).toBe(2);
});

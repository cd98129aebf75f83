import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { startGroupCall, waitForRingtone } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * How group invitations stop ringing, in the app through the real server: a decline (on every
 * device of the one who declines), no answer before the ring timeout, and the call ending while
 * it rings. The inviter's invitation list says how each went.
 */
jest.setTimeout(300_000);

// Long enough for the steps before the decline on a busy machine (15 s was not, with other
// Chromium tests running beside it), short enough to wait out.
const RING_TIMEOUT_MS = 30_000;
const env = groupCallEnvironment({
  ports: sfuPortsOf('groupInvitations'),
  ringTimeoutMs: RING_TIMEOUT_MS,
});

/** Waits until the client's group invitation screen has gone and its ringtone is silent. */
async function waitForRingingOver(client: ParleyClient): Promise<void> {
  await client.port.waitFor(testIdSelector(testIds.screenGroupInvite), 'detached', 20_000);
  await waitForRingtone(client, false);
}

async function waitForRingingInvitation(client: ParleyClient, inviter: string): Promise<void> {
  await client.waitForScreen(testIds.screenGroupInvite);
  expect(await client.readText(testIds.groupInviteFrom)).toContain(inviter);
  await waitForRingtone(client, true);
}

/** The inviter's row for `username` in the invite panel, once it is in `state`; its text. */
async function invitationShown(
  inviter: ParleyClient,
  username: string,
  state: string,
): Promise<string> {
  const row = inviter.page.locator(
    `${testIdSelector(testIds.invitationRow)}[data-username="${username}"][data-state="${state}"]`,
  );
  await row.waitFor({ state: 'visible', timeout: RING_TIMEOUT_MS + 20_000 });
  return row.innerText();
}

test('a decline on one device stops all of that person ringing and the inviter sees "Declined"; no answer stops ringing at the timeout; the call ending stops it too', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bobDesk = await env.registeredClient('bob', 'Bob Marley');
  const carol = await env.registeredClient('carol', 'Carol King');
  const bobLaptop = await env.newClient();
  const code = await bobLaptop.startLinking('Bob laptop');
  await bobDesk.lookUpLinkCode(code);
  await bobDesk.click(testIds.linkApproveButton);
  await bobLaptop.waitForLinked('bob', 'Bob Marley');
  await bobDesk.click(testIds.navContacts);
  await becomeContacts(alice, bobDesk);
  await becomeContacts(alice, carol);

  // Alice rings Bob (both his devices) and Carol into a group call.
  await startGroupCall(alice, [bobDesk, carol]);
  for (const client of [bobDesk, bobLaptop, carol]) {
    await waitForRingingInvitation(client, 'Alice Liddell');
  }
  await alice.click(testIds.inviteButton);
  await invitationShown(alice, 'bob', 'ringing');

  // Bob declines on his desk: his laptop stops ringing too, and Alice's list says he declined.
  await bobDesk.click(testIds.groupDeclineButton);
  await bobDesk.waitForScreen(testIds.screenContacts);
  for (const client of [bobDesk, bobLaptop]) await waitForRingingOver(client);
  expect(await invitationShown(alice, 'bob', 'declined')).toContain('Declined');
  // Carol still rings meanwhile: Bob's no was his alone.
  await expect(carol.byTestId(testIds.screenGroupInvite).isVisible()).resolves.toBe(true);

  // Carol does not answer: at the ring timeout she stops ringing and Alice reads "No answer".
  expect(await invitationShown(alice, 'carol', 'timeout')).toContain('No answer');
  await waitForRingingOver(carol);
  await expect(alice.byTestId(testIds.screenGroupCall).isVisible()).resolves.toBe(true);

  // Alice rings Carol again, then leaves the call, the only one in it: the call ends, and
  // Carol's ringing with it.
  await alice.click(testIds.inviteContact('carol'));
  await alice.click(testIds.inviteSendButton);
  await waitForRingingInvitation(carol, 'Alice Liddell');
  await alice.click(testIds.leaveCallButton);
  await alice.waitForScreen(testIds.screenContacts);
  await waitForRingingOver(carol);
  await expect(carol.byTestId(testIds.screenGroupCall).count()).resolves.toBe(0);
});

import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import { joinFromInvitation, waitForTileNames } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A 1:1 call that grew (the third person only rung, the call still peer to peer) comes back after
 * a reload by itself (docs/protocol.md "Rejoining a grown call still on p2p"), as WhatsApp and
 * Signal do: real Chromium pages of the web client, the real server with its mediasoup SFU on
 * loopback, every frame SFrame-encrypted by its sender. Steps are waited for with deadlines
 * (media on two busy cores: up to a minute each), never timed.
 */
jest.setTimeout(420_000);

// Carol's invitation must still ring once Alice is back: longer than the default 45 s, for a busy
// machine's reload, rejoin and media checks.
const env = groupCallEnvironment({ ports: sfuPortsOf('growCallRejoin'), ringTimeoutMs: 240_000 });

test('Alice reloads while the call she grew still rings Carol: she is back in it without a click, Bob decodes her again, and once Carol joins all three decode the other two', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  const carol = await env.registeredClient('carol', 'Carol King');
  await becomeContacts(alice, bob);
  await becomeContacts(alice, carol);

  // A 1:1 video call, peer to peer.
  await alice.callByUsername(bob.username, 'video');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }

  // Alice adds Carol from the call's screen; Carol rings and does not answer yet.
  await alice.click(testIds.addPeopleButton);
  await alice.click(testIds.inviteContact('carol'));
  await alice.click(testIds.addPeopleSendButton);
  for (const client of [alice, bob]) await client.waitForScreen(testIds.screenGroupCall);
  await carol.waitForScreen(testIds.screenGroupInvite);
  const pair = ['Alice Liddell', 'Bob Marley'];
  for (const client of [alice, bob])
    await expectDecodingFrom(client, 1, `${client.username} grown`);

  await alice.page.reload();

  // No click: the group call screen comes back, with Bob, and Carol's invitation still ringing.
  await alice.waitForScreen(testIds.screenGroupCall);
  for (const client of [alice, bob]) await waitForTileNames(client, pair);
  await expectCarolRingingAt(alice);
  // Both decode each other again, over a new 1:1 connection with new keys.
  await expectDecodingFrom(bob, 1, "bob after Alice's reload");
  await expectDecodingFrom(alice, 1, 'alice after her reload');
  await expect(alice.byTestId(testIds.groupCallError).count()).resolves.toBe(0);

  // Carol joins: the call moves to the SFU, and everyone's keys reach everyone.
  await joinFromInvitation(carol, 'Alice Liddell');
  const everyone = ['Alice Liddell', 'Bob Marley', 'Carol King'];
  for (const client of [alice, bob, carol]) await waitForTileNames(client, everyone);
  for (const client of [alice, bob, carol]) {
    await expectDecodingFrom(client, 2, `${client.username} once Carol joined`);
  }
  for (const client of [alice, bob, carol]) {
    await expect(client.byTestId(testIds.groupCallError).count()).resolves.toBe(0);
  }
});

/** The invitations panel of `client` shows Carol ringing. */
async function expectCarolRingingAt(client: ParleyClient): Promise<void> {
  await client.click(testIds.inviteButton);
  await client.port.waitFor(
    `${testIdSelector(testIds.invitationRow)}[data-username="carol"][data-state="ringing"]`,
    'attached',
    30_000,
  );
  await client.click(testIds.inviteButton);
}

import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { decodedFromOthers, expectDecodingFrom } from './harness/groupCallMedia';
import { joinFromInvitation, waitForTileNames } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { sfuPortsOf } from './harness/sfuPorts';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import { startTamperingRelay, type TamperingRelay } from './harness/tamperingRelay';

/**
 * A 1:1 call that grew (the third person only rung, the call still peer to peer) comes back after
 * a reload by itself (docs/protocol.md "Rejoining a grown call still on p2p"), as WhatsApp and
 * Signal do; refused, its 1:1 call goes on and says so. Real Chromium pages of the web client, the
 * real server with its mediasoup SFU on loopback, every frame SFrame-encrypted by its sender. Steps are waited for with deadlines
 * (media on two busy cores: up to a minute each), never timed.
 */
jest.setTimeout(420_000);

// Carol's invitation must still ring once Alice is back: longer than the default 45 s, for a busy
// machine's reload, rejoin and media checks.
const env = groupCallEnvironment({ ports: sfuPortsOf('growCallRejoin'), ringTimeoutMs: 240_000 });

test('Alice reloads while the call she grew still rings Carol: she is back in it without a click, Bob decodes her again, and once Carol joins all three decode the other two', async () => {
  const { alice, bob, carol } = await grownCallRingingCarol(['alice', 'bob', 'carol']);
  await reloadedBackInTheCall(alice, bob, carol);
  await carolJoinsAndAllDecode(alice, bob, carol);
});

test('Bob, who answered, reloads while the call still rings Carol: he is back in it in his own place, and once Carol joins all three decode the other two', async () => {
  // People of their own: the first test's accounts stay on the server.
  const { alice, bob, carol } = await grownCallRingingCarol(['alice2', 'bob2', 'carol2']);
  await reloadedBackInTheCall(bob, alice, carol);
  await carolJoinsAndAllDecode(alice, bob, carol);
});

let relay: TamperingRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

test('Alice reloads and the server will not take her back into the group call: her 1:1 call with Bob goes on, and its screen says plainly that the group call could not be rejoined, with no error in Add people', async () => {
  // Alice's signaling goes through a relay that answers her room.rejoin as the server does when
  // this device is no member of the call (not_in_call).
  let rejoinId: unknown;
  relay = await startTamperingRelay(env.serverUrl, (message, direction) => {
    if (direction === 'client_to_server' && message.type === 'room.rejoin') rejoinId = message.id;
    if (direction !== 'server_to_client' || message.type !== 'room' || message.re !== rejoinId) {
      return null;
    }
    return {
      v: message.v,
      type: 'error',
      re: rejoinId,
      code: 'not_in_call',
      message: 'You are not part of this call.',
    };
  });
  const { alice, bob } = await grownCallRingingCarol(['alice3', 'bob3', 'carol3'], relay.url);

  await alice.page.reload();
  await alice.port.waitFor(testIdSelector(testIds.groupRejoinFailed), 'visible', 60_000);
  expect(relay.rewritten.map((r) => r.message.type)).toEqual(['error']);
  expect(await alice.readText(testIds.groupRejoinFailed)).toContain(
    `You are no longer in the group call, so it could not be rejoined. Your call with ${BOB} goes on.`,
  );
  // The 1:1 call screen, connected, with Bob's media arriving over it.
  await alice.waitForInCall();
  await alice.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  await expectMediaStillFlowing([alice]);
  await expect(alice.byTestId(testIds.screenGroupCall).count()).resolves.toBe(0);
  // Add people says nothing went wrong: the notice above is the one place that says it.
  await alice.click(testIds.addPeopleButton);
  await alice.port.waitFor(testIdSelector(testIds.addPeoplePanel), 'visible', 20_000);
  await expect(alice.byTestId(testIds.addPeopleError).count()).resolves.toBe(0);

  // Dismissed, the notice goes; the call goes on.
  await alice.byTestId(testIds.groupRejoinFailed).getByRole('button', { name: 'Dismiss' }).click();
  await alice.port.waitFor(testIdSelector(testIds.groupRejoinFailed), 'detached', 20_000);
  await expect(alice.byTestId(testIds.screenInCall).count()).resolves.toBe(1);
  // Bob's call goes on too: he still sees and hears Alice over their 1:1 connection.
  await bob.waitForScreen(testIds.screenGroupCall);
  await expectDecodingFrom(bob, 1, 'bob after Alice was refused the group call');
});

const ALICE = 'Alice Liddell';
const BOB = 'Bob Marley';
const CAROL = 'Carol King';

/**
 * Alice calls Bob (video, peer to peer), then adds Carol from the call's screen; Carol rings and
 * does not answer yet; Alice reaches the server through `aliceUrl` when given (a tampering
 * relay). Resolves once Alice and Bob decode each other in the grown call.
 */
async function grownCallRingingCarol(
  [aliceName, bobName, carolName]: [string, string, string],
  aliceUrl?: string,
) {
  const alice = await env.registeredClient(aliceName, ALICE, aliceUrl ? { url: aliceUrl } : {});
  const bob = await env.registeredClient(bobName, BOB);
  const carol = await env.registeredClient(carolName, CAROL);
  await becomeContacts(alice, bob);
  await becomeContacts(alice, carol);

  await alice.callByUsername(bob.username, 'video');
  await answerAndConnect(alice, bob);

  await alice.click(testIds.addPeopleButton);
  await alice.click(testIds.inviteContact(carol.username));
  await alice.click(testIds.addPeopleSendButton);
  for (const client of [alice, bob]) await client.waitForScreen(testIds.screenGroupCall);
  await carol.waitForScreen(testIds.screenGroupInvite);
  for (const client of [alice, bob])
    await expectDecodingFrom(client, 1, `${client.username} grown`);
  return { alice, bob, carol };
}

/**
 * `reloaded`'s page reloads. No click: the group call screen comes back with the other party, and
 * Carol's invitation still ringing; both decode each other again, over a new 1:1 connection with
 * new keys.
 */
async function reloadedBackInTheCall(
  reloaded: ParleyClient,
  other: ParleyClient,
  invitee: ParleyClient,
): Promise<void> {
  const slotBefore = (await decodedFromOthers(other)).map((seen) => seen.slot);
  await reloaded.page.reload();
  await reloaded.waitForScreen(testIds.screenGroupCall);
  const pair = [ALICE, BOB];
  for (const client of [reloaded, other]) await waitForTileNames(client, pair);
  await expectRingingAt(reloaded, invitee);
  await expectDecodingFrom(other, 1, `${other.username} after ${reloaded.username}'s reload`);
  await expectDecodingFrom(reloaded, 1, `${reloaded.username} after the reload`);
  // Still in the same place: the slot is its part in the 1:1 call, never a new one on p2p.
  expect((await decodedFromOthers(other)).map((seen) => seen.slot)).toEqual(slotBefore);
  await expect(reloaded.byTestId(testIds.groupCallError).count()).resolves.toBe(0);
}

/** Carol joins: the call moves to the SFU, and everyone's keys reach everyone. */
async function carolJoinsAndAllDecode(
  alice: ParleyClient,
  bob: ParleyClient,
  carol: ParleyClient,
): Promise<void> {
  await joinFromInvitation(carol, ALICE);
  const everyone = [ALICE, BOB, CAROL];
  for (const client of [alice, bob, carol]) await waitForTileNames(client, everyone);
  for (const client of [alice, bob, carol]) {
    await expectDecodingFrom(client, 2, `${client.username} once Carol joined`);
  }
  for (const client of [alice, bob, carol]) {
    await expect(client.byTestId(testIds.groupCallError).count()).resolves.toBe(0);
  }
}

/** The invitations panel of `client` shows `invitee` ringing. */
async function expectRingingAt(client: ParleyClient, invitee: ParleyClient): Promise<void> {
  await client.click(testIds.inviteButton);
  await client.port.waitFor(
    `${testIdSelector(testIds.invitationRow)}[data-username="${invitee.username}"][data-state="ringing"]`,
    'attached',
    30_000,
  );
  await client.click(testIds.inviteButton);
}

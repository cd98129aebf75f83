import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { countPeerConnections } from './harness/peerConnectionTracker';

/**
 * "Protect my IP address in calls" on a server that offers no TURN relay: the call fails at once
 * with a message saying why, instead of quietly connecting directly.
 */
jest.setTimeout(180_000);

const env = fileEnvironment({}, { closeClientsAfterEach: true });

async function contacts(a: string, b: string): Promise<[ParleyClient, ParleyClient]> {
  const first = await env.registeredClient(a, a.toUpperCase());
  const second = await env.registeredClient(b, b.toUpperCase());
  await becomeContacts(first, second);
  await second.waitForPresence(a, 'online');
  return [first, second];
}

async function expectRelayRefusal(client: ParleyClient): Promise<void> {
  await client.waitForCallEnded('error');
  await expect(client.byTestId(testIds.callNotice).innerText()).resolves.toMatch(
    /must go through a relay.*offers none/,
  );
  expect(await countPeerConnections(client.page)).toBe(0);
}

test('placing a call with the setting on fails with the reason, and the callee is never rung', async () => {
  const [alice, bob] = await contacts('alice', 'bob');
  await alice.protectIpAddress();
  await alice.callContact('bob');
  await expectRelayRefusal(alice);
  await expect(bob.byTestId(testIds.screenIncoming).count()).resolves.toBe(0);
});

test('answering a call with the setting on fails with the reason; the caller hears it was declined', async () => {
  const [carol, dave] = await contacts('carol', 'dave');
  await dave.protectIpAddress();
  await carol.callContact('dave');
  await dave.waitForIncomingCall();
  await dave.click(testIds.acceptVideoButton);
  await expectRelayRefusal(dave);
  await carol.waitForCallEnded('declined');
});

test('without a relay, a stranger’s call does not connect while it rings: the callee makes no connection until it answers', async () => {
  const erin = await env.registeredClient('erin', 'ERIN');
  const stranger = await env.registeredClient('frank', 'FRANK');
  await stranger.addContact('erin');
  // Erin has not added frank, so he never sees her presence (she shows offline to him); she is
  // signed in since her registration finished.
  await stranger.waitForPresence('erin', 'offline');
  await stranger.callContact('erin');
  await erin.waitForIncomingCall();
  await stranger.waitForRinging();
  // The stranger's own connection exists (its offer); Erin's device made none while ringing.
  expect(await countPeerConnections(erin.page)).toBe(0);
  await erin.click(testIds.acceptVideoButton);
  await Promise.all([stranger.waitForInCall(), erin.waitForInCall()]);
  await erin.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  expect(await countPeerConnections(erin.page)).toBe(1);
});

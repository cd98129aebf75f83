import { randomUUID } from 'node:crypto';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

/**
 * Calls ring longer than any test's steps take on a busy machine, so that a test of a decline, an
 * accept or a hang-up never races the ring timeout; the timeout test rings briefly.
 */
const RING_MS = 60_000;
const SHORT_RING_MS = 300;

let server: TestServer;
let alice: TestClient;
let bob: TestClient;

async function startServer(ringTimeoutMs: number): Promise<void> {
  server = await TestServer.start({ ringTimeoutMs });
  alice = await server.registered('alice');
  bob = await server.registered('bob');
}

beforeEach(() => startServer(RING_MS));
afterEach(() => server.dispose());

async function invite(from: TestClient, to: string) {
  const callId = randomUUID();
  const reply = await from.invite(callId, to, 'audio', 'offer');
  expect(reply).toMatchObject({ type: 'ok' });
  return callId;
}

async function lastEntry(client: TestClient) {
  const log = await client.request({ type: 'calllog.list', limit: 1 });
  if (log.type !== 'calllog') throw new Error(`no call log: ${JSON.stringify(log)}`);
  return log.entries[0];
}

async function lastOutcome(client: TestClient) {
  return (await lastEntry(client))?.outcome;
}

/** Both logs have the call as failed: never answered, no duration. */
async function expectFailedForBoth(callId: string): Promise<void> {
  for (const client of [alice, bob]) {
    expect(await lastEntry(client)).toMatchObject({
      callId,
      outcome: 'failed',
      answeredAt: null,
      durationMs: 0,
    });
  }
}

test('an unanswered call times out on both sides and is logged as missed', async () => {
  await server.dispose();
  await startServer(SHORT_RING_MS);
  // Taken before the invite is sent, so the ring (which starts once the server has it) is within.
  const started = Date.now();
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  await Promise.all([alice.nextOf('call.timeout', callId), bob.nextOf('call.timeout', callId)]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT_RING_MS - 50);
  expect(await lastOutcome(alice)).toBe('missed');
  expect(await lastOutcome(bob)).toBe('missed');
  // Both are free again.
  expect(await alice.invite(randomUUID(), 'bob')).toMatchObject({ type: 'ok' });
});

describe('several devices of the callee (the second one linked by the first)', () => {
  let bob2: TestClient;
  beforeEach(async () => {
    bob2 = await server.linkedDevice(bob);
  });

  test('the invite rings every device; the first accept wins, the other is answered elsewhere', async () => {
    const callId = await invite(alice, 'bob');
    await Promise.all([bob.nextOf('call.invite', callId), bob2.nextOf('call.invite', callId)]);
    const candidate = {
      candidate: 'candidate:x',
      sdpMid: null,
      sdpMLineIndex: null,
      usernameFragment: null,
    };
    alice.send({ v: 1, type: 'call.ice', callId, candidate });
    await Promise.all([bob.nextOf('call.ice', callId), bob2.nextOf('call.ice', callId)]);

    // The linked device answers; its accept carries its chain back to bob's root key.
    bob2.accept(callId, 'audio', 'answer');
    expect(await alice.nextOf('call.accept', callId)).toMatchObject({
      deviceId: bob2.deviceId,
      identity: [
        { identityKey: bob.keys.identityKey, signature: null },
        { identityKey: bob2.keys.identityKey },
      ],
    });
    expect(await bob.nextOf('call.cancel', callId)).toMatchObject({ reason: 'answered_elsewhere' });

    bob.accept(callId, 'audio', 'late');
    expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId });
    // Media flows only between alice and the device that answered.
    alice.send({ v: 1, type: 'call.ice', callId, candidate });
    await bob2.nextOf('call.ice', callId);
    expect(await bob.collect(100, (m) => m.type === 'call.ice')).toEqual([]);

    bob2.send({ v: 1, type: 'call.hangup', callId });
    expect(await alice.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });
  });

  test('a device that could not answer tells the caller why; the other device only stops ringing', async () => {
    const callId = await invite(alice, 'bob');
    await Promise.all([bob.nextOf('call.invite', callId), bob2.nextOf('call.invite', callId)]);
    bob2.send({ v: 1, type: 'call.decline', callId, reason: 'microphone_unavailable' });
    expect(await alice.nextOf('call.decline', callId)).toMatchObject({
      reason: 'microphone_unavailable',
    });
    expect(await bob.nextOf('call.decline', callId)).not.toHaveProperty('reason');
  });

  test('a decline from one device ends the call for the caller and the other device', async () => {
    const callId = await invite(alice, 'bob');
    await Promise.all([bob.nextOf('call.invite', callId), bob2.nextOf('call.invite', callId)]);
    bob.send({ v: 1, type: 'call.decline', callId });
    await Promise.all([alice.nextOf('call.decline', callId), bob2.nextOf('call.decline', callId)]);
    expect(await lastOutcome(alice)).toBe('declined');
  });

  test('the call keeps ringing while one device signs out, and times out for the caller when the last one does', async () => {
    const callId = await invite(alice, 'bob');
    await Promise.all([bob.nextOf('call.invite', callId), bob2.nextOf('call.invite', callId)]);
    await bob.signOut();
    expect(await alice.collect(100, (m) => m.type.startsWith('call.'))).toEqual([]);
    await bob2.signOut();
    await alice.nextOf('call.timeout', callId);
    expect(await lastOutcome(alice)).toBe('missed');
  });
});

test('the caller signing out while ringing cancels the call on the callee', async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  await alice.signOut();
  expect(await bob.nextOf('call.cancel', callId)).toMatchObject({ reason: 'cancelled' });
  expect(await lastOutcome(bob)).toBe('cancelled');
});

test('a party signing out in a call ends it for the other at once, as connection_lost', async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.accept(callId, 'audio', 'answer');
  await alice.nextOf('call.accept', callId);
  await bob.signOut();
  expect(await alice.nextOf('call.hangup', callId)).toMatchObject({ reason: 'connection_lost' });
  expect(await lastOutcome(alice)).toBe('answered');
});

test('ice from the callee before it accepted is refused', async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.send({ v: 1, type: 'call.ice', callId, candidate: null });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  expect(await alice.collect(50, (m) => m.type === 'call.ice')).toEqual([]);
});

test('a callee that could not answer says why; the caller is told so, and the call is logged as failed', async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.send({ v: 1, type: 'call.decline', callId, reason: 'microphone_denied' });
  expect(await alice.nextOf('call.decline', callId)).toMatchObject({
    reason: 'microphone_denied',
  });
  await expectFailedForBoth(callId);
});

test('a plain decline carries no reason and is logged as declined, as before', async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.send({ v: 1, type: 'call.decline', callId });
  const decline = await alice.nextOf('call.decline', callId);
  expect(decline).not.toHaveProperty('reason');
  expect(await lastEntry(alice)).toMatchObject({ callId, outcome: 'declined' });
});

test("a caller that refuses the callee's keys after the accept hangs up as identity_failed: the callee is told, and the call failed with no duration", async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.accept(callId, 'audio', 'answer');
  await alice.nextOf('call.accept', callId);
  // Time passes after the accept, so that a duration would show if the call counted as answered.
  await new Promise((resolve) => setTimeout(resolve, 50));
  alice.send({ v: 1, type: 'call.hangup', callId, reason: 'identity_failed' });
  expect(await bob.nextOf('call.hangup', callId)).toMatchObject({ reason: 'identity_failed' });
  await expectFailedForBoth(callId);
});

test('a decline or hang-up with a reason the protocol does not list is refused and changes nothing', async () => {
  const callId = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.send({ v: 1, type: 'call.decline', callId, reason: 'bored' });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'bad_message' });
  expect(await alice.collect(100, (m) => m.type === 'call.decline')).toEqual([]);
  bob.accept(callId, 'audio', 'answer');
  expect(await alice.nextOf('call.accept', callId)).toMatchObject({ callId });

  alice.send({ v: 1, type: 'call.hangup', callId, reason: 'bored' });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'bad_message' });
  expect(await bob.collect(100, (m) => m.type === 'call.hangup')).toEqual([]);
  // The call is still on: a plain hang-up ends it, and it counts as answered.
  alice.send({ v: 1, type: 'call.hangup', callId });
  await bob.nextOf('call.hangup', callId);
  expect(await lastOutcome(bob)).toBe('answered');
});

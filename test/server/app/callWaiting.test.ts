import { randomUUID } from 'node:crypto';
import { startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

// Call waiting: a call to someone talking in another call rings them instead of busy at once.

/** Longer than any test's steps take on a busy machine: only the ring-out tests see one end. */
const RING_MS = 60_000;
/** Rings out within the test, with nothing to do before. */
const SHORT_RING_MS = 400;
/**
 * Rings out within the test, after a hang-up that must come first: long enough for that on a busy
 * machine, waited for with a deadline well beyond it.
 */
const RING_AFTER_HANGUP_MS = 5_000;
const RUNG_OUT_WITHIN_MS = 20_000;
jest.setTimeout(60_000);

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let bobPhone: TestClient;
let carol: TestClient;
let current: string;
/** Alice and Bob in a call (Bob's phone rang too), Carol free. */
async function startServer(ringTimeoutMs: number): Promise<void> {
  server = await TestServer.start({ ringTimeoutMs });
  alice = await server.registered('alice');
  bob = await server.registered('bob');
  bobPhone = await server.linkedDevice(bob, 'phone');
  carol = await server.registered('carol');
  current = await startAcceptedCall(alice, bob);
  await bobPhone.nextOf('call.cancel', current);
}

async function restartServer(ringTimeoutMs: number): Promise<void> {
  await server.dispose();
  await startServer(ringTimeoutMs);
}

beforeEach(() => startServer(RING_MS));
afterEach(() => server.dispose());

async function inviteBob(from: TestClient): Promise<string> {
  const callId = randomUUID();
  expect(await from.invite(callId, 'bob', 'audio', 'offer')).toMatchObject({ type: 'ok' });
  return callId;
}

async function lastEntry(client: TestClient) {
  const log = await client.request({ type: 'calllog.list', limit: 1 });
  return log.type === 'calllog' ? log.entries[0] : log;
}

test('a call to someone in a call rings every device of theirs; rung out while they talk, it is busy for the caller and in both logs', async () => {
  await restartServer(SHORT_RING_MS);
  const waiting = await inviteBob(carol);
  await Promise.all([bob.nextOf('call.invite', waiting), bobPhone.nextOf('call.invite', waiting)]);
  await Promise.all([
    carol.nextOf('call.busy', waiting),
    bob.nextOf('call.timeout', waiting),
    bobPhone.nextOf('call.timeout', waiting),
  ]);
  // Written before anyone was told.
  expect(await lastEntry(carol)).toMatchObject({ callId: waiting, outcome: 'busy' });
  expect(await lastEntry(bob)).toMatchObject({ callId: waiting, outcome: 'busy' });
  // The call Bob was in goes on.
  bob.send({ v: 1, type: 'call.media', callId: current, audio: false, video: true });
  expect(await alice.nextOf('call.media', current)).toMatchObject({ audio: false });
});

test('when the other call ends first, the waiting call rings out as an ordinary missed call', async () => {
  await restartServer(RING_AFTER_HANGUP_MS);
  const waiting = await inviteBob(carol);
  await bob.nextOf('call.invite', waiting);
  alice.send({ v: 1, type: 'call.hangup', callId: current });
  await bob.nextOf('call.hangup', current);
  await Promise.all([
    carol.nextOf('call.timeout', waiting, RUNG_OUT_WITHIN_MS),
    bob.nextOf('call.timeout', waiting, RUNG_OUT_WITHIN_MS),
  ]);
  expect(await lastEntry(carol)).toMatchObject({ callId: waiting, outcome: 'missed' });
});

test('the callee ends the current call and accepts the waiting one; a caller meanwhile is busy at once', async () => {
  const waiting = await inviteBob(carol);
  await bob.nextOf('call.invite', waiting);
  const dave = await server.registered('dave');
  const third = await inviteBob(dave);
  await dave.nextOf('call.busy', third);

  bob.send({ v: 1, type: 'call.hangup', callId: current });
  bob.accept(waiting, 'audio', 'answer');
  await alice.nextOf('call.hangup', current);
  expect(await carol.nextOf('call.accept', waiting)).toMatchObject({ deviceId: bob.deviceId });
  await bobPhone.nextOf('call.cancel', waiting);
});

test('the callee declines the waiting call: the caller hears a decline, the current call goes on', async () => {
  const waiting = await inviteBob(carol);
  await bob.nextOf('call.invite', waiting);
  bob.send({ v: 1, type: 'call.decline', callId: waiting });
  await carol.nextOf('call.decline', waiting);
  expect(await lastEntry(carol)).toMatchObject({ callId: waiting, outcome: 'declined' });
  alice.send({ v: 1, type: 'call.media', callId: current, audio: true, video: false });
  expect(await bob.nextOf('call.media', current)).toMatchObject({ video: false });
});

import { randomUUID } from 'node:crypto';
import { startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

/** Call waiting: a call to someone talking in another call rings them instead of busy at once. */
const RING_MS = 400;

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let bobPhone: TestClient;
let carol: TestClient;
let current: string;
beforeEach(async () => {
  server = await TestServer.start({ ringTimeoutMs: RING_MS });
  alice = await server.registered('alice');
  bob = await server.registered('bob');
  bobPhone = await server.linkedDevice(bob, 'phone');
  carol = await server.registered('carol');
  current = await startAcceptedCall(alice, bob);
  await bobPhone.nextOf('call.cancel', current);
});
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
  const waiting = await inviteBob(carol);
  await bob.nextOf('call.invite', waiting);
  alice.send({ v: 1, type: 'call.hangup', callId: current });
  await bob.nextOf('call.hangup', current);
  await Promise.all([carol.nextOf('call.timeout', waiting), bob.nextOf('call.timeout', waiting)]);
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

import { randomUUID } from 'node:crypto';
import { CloseCode } from '../../../protocol';
import { FakeTime } from '../calls/fakeTime';
import { eventually, startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

const GRACE_MS = 30_000;

let time: FakeTime;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
beforeEach(async () => {
  time = new FakeTime();
  server = await TestServer.start({ time: { clock: time, scheduler: time } });
  alice = await server.registered('alice');
  bob = await server.registered('bob');
  carol = await server.registered('carol');
  await carol.request({ type: 'contacts.add', username: 'bob' });
  // Bob shares his presence with carol: he has added her himself.
  await bob.request({ type: 'contacts.add', username: 'carol' });
});
afterEach(() => server.dispose());

/** Drops the socket without a goodbye, and waits until the server has noticed (its grace runs). */
async function drop(client: TestClient) {
  const timers = time.pending;
  client.socket.terminate();
  await eventually(() => time.pending > timers);
}

async function callLog(client: TestClient) {
  const reply = await client.request({ type: 'calllog.list' });
  if (reply.type !== 'calllog') throw new Error(JSON.stringify(reply));
  return reply.entries;
}

test('a device that drops keeps its call and presence for the grace, then the call ends as connection_lost when it dropped', async () => {
  const callId = await startAcceptedCall(alice, bob);
  time.advance(7_000);
  const droppedAt = time.now();
  await drop(bob);

  time.advance(GRACE_MS - 1);
  expect(await alice.collect(50, (m) => m.type === 'call.hangup')).toEqual([]);
  expect(await carol.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'in_call',
  });

  time.advance(1);
  expect(await alice.nextOf('call.hangup', callId)).toMatchObject({ reason: 'connection_lost' });
  expect(await carol.next((m) => m.type === 'presence' && m.presence === 'offline')).toMatchObject({
    username: 'bob',
  });
  expect(await callLog(alice)).toMatchObject([
    { callId, outcome: 'answered', endedAt: droppedAt, durationMs: 7_000 },
  ]);
});

test('a device back within the grace goes on with its call: it learns it, and hang-up works', async () => {
  const callId = await startAcceptedCall(alice, bob);
  await drop(bob);
  time.advance(GRACE_MS - 1);

  const back = await server.client();
  expect(await back.resume(bob, { id: bob.streamId, received: bob.lastSeq })).toMatchObject({
    stream: { resumed: true },
    calls: [{ callId, state: 'accepted', role: 'callee' }],
  });
  time.advance(GRACE_MS);
  expect(await alice.collect(50, (m) => m.type === 'call.hangup')).toEqual([]);

  time.advance(5_000);
  back.send({ v: 1, type: 'call.hangup', callId });
  expect(await alice.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });
  expect(await callLog(alice)).toMatchObject([{ callId, durationMs: 2 * GRACE_MS + 4_999 }]);
});

test('a new connection of a device that still looks connected takes over, without ending its call', async () => {
  const callId = await startAcceptedCall(alice, bob);
  const takeover = await server.client();
  expect(await takeover.login('bob', bob.deviceId, bob.keys)).toMatchObject({
    calls: [{ callId, state: 'accepted' }],
  });
  expect((await bob.closed).code).toBe(CloseCode.replaced);
  time.advance(2 * GRACE_MS);
  expect(await alice.collect(50, (m) => m.type === 'call.hangup')).toEqual([]);

  alice.send({ v: 1, type: 'call.media', callId, audio: false, video: true });
  expect(await takeover.nextOf('call.media', callId)).toMatchObject({ audio: false });
  alice.send({ v: 1, type: 'call.hangup', callId });
  expect(await takeover.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });
});

test('a caller that drops while it rings: the call still rings and can be answered meanwhile', async () => {
  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'audio', 'offer');
  await bob.nextOf('call.invite', callId);
  await drop(alice);
  bob.accept(callId, 'audio', 'answer');

  const back = await server.client();
  await back.resume(alice, { id: alice.streamId, received: alice.lastSeq });
  expect(await back.nextOf('call.accept', callId)).toMatchObject({ deviceId: bob.deviceId });
});

test('a caller that stays away past the grace while it rings cancels the call', async () => {
  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'audio', 'offer');
  await bob.nextOf('call.invite', callId);
  await drop(alice);
  time.advance(GRACE_MS);
  expect(await bob.nextOf('call.cancel', callId)).toMatchObject({ reason: 'cancelled' });
});

test('removing a device while it is away ends its call at once', async () => {
  const bobPhone = await server.linkedDevice(bob, 'phone');
  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'audio', 'offer');
  await bobPhone.nextOf('call.invite', callId);
  bobPhone.accept(callId, 'audio', 'answer');
  await alice.nextOf('call.accept', callId);
  await drop(bobPhone);
  time.advance(1_000);

  await bob.request({ type: 'devices.remove', deviceId: bobPhone.deviceId });
  expect(await alice.nextOf('call.hangup', callId)).toMatchObject({ reason: 'connection_lost' });
  const back = await server.client();
  expect(await back.resume(bobPhone)).toMatchObject({ code: 'session_invalid' });
});

test('a device away outside a call shows offline at once and rings for no new call; back, it is online again', async () => {
  await drop(bob);
  expect(await carol.next((m) => m.type === 'presence' && m.presence === 'offline')).toMatchObject({
    username: 'bob',
  });
  const callId = randomUUID();
  expect(await alice.invite(callId, 'bob', 'audio', 'offer')).toMatchObject({
    type: 'error',
    code: 'callee_offline',
  });

  const back = await server.client();
  await back.resume(bob, { id: bob.streamId, received: bob.lastSeq });
  expect(await carol.next((m) => m.type === 'presence' && m.presence === 'online')).toMatchObject({
    username: 'bob',
  });
});

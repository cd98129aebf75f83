import { randomUUID } from 'node:crypto';
import type { ServerMessage } from '../../../protocol';
import { startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
afterEach(() => server.dispose());

async function start(options: { noticeQueueLimit?: number } = {}) {
  server = await TestServer.start(options);
  alice = await server.registered('alice');
  bob = await server.registered('bob');
}

const isCallNotice = (m: ServerMessage) => m.type.startsWith('call.');
const seqOf = (m: ServerMessage) => ('seq' in m ? m.seq : undefined);

/** Bob's notices have been handled once a request sent after them is answered. */
async function flushed(client: TestClient) {
  await client.request({ type: 'contacts.list' });
}

test('notices sent while a device is away arrive once and in order when it resumes its stream', async () => {
  await start();
  const callId = await startAcceptedCall(alice, bob);
  const before = alice.lastSeq;
  expect(before).toBeGreaterThan(0);
  alice.socket.terminate();

  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: true });
  bob.send({ v: 1, type: 'call.quality', callId, poor: true });
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: false });
  await flushed(bob);

  const back = await server.client();
  const session = await back.resume(alice, { id: alice.streamId, received: before });
  expect(session).toMatchObject({
    type: 'session',
    stream: { id: alice.streamId, resumed: true, received: 0 },
  });
  const resent = [await back.next(isCallNotice), await back.next(isCallNotice)];
  resent.push(await back.next(isCallNotice));
  expect(resent).toEqual([
    { v: 1, type: 'call.media', callId, audio: false, video: true, seq: before + 1 },
    { v: 1, type: 'call.quality', callId, poor: true, seq: before + 2 },
    { v: 1, type: 'call.media', callId, audio: false, video: false, seq: before + 3 },
  ]);
  // Nothing twice, and nothing from before the drop (call.invite, call.accept) again.
  expect(await back.collect(150, isCallNotice)).toEqual([]);

  // The stream goes on where it was.
  bob.send({ v: 1, type: 'call.rekey', callId });
  expect(seqOf(await back.nextOf('call.rekey', callId))).toBe(before + 4);
});

test('what the client acknowledged is not sent again', async () => {
  await start();
  const callId = await startAcceptedCall(alice, bob);
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: true });
  await alice.nextOf('call.media', callId);
  alice.ack(alice.lastSeq);
  await flushed(alice);
  const acknowledged = alice.lastSeq;
  alice.socket.terminate();
  bob.send({ v: 1, type: 'call.media', callId, audio: true, video: true });
  await flushed(bob);

  const back = await server.client();
  // A client may report less than it acknowledged; the acknowledged notices are gone anyway.
  await back.resume(alice, { id: alice.streamId, received: 0 });
  expect(await back.next(isCallNotice)).toMatchObject({ audio: true, seq: acknowledged + 1 });
  expect(await back.collect(100, isCallNotice)).toEqual([]);
});

test('numbered client notices are handled once and in order, and acknowledged', async () => {
  await start();
  const callId = await startAcceptedCall(alice, bob);
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: true, seq: 1 });
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: true, seq: 1 });
  bob.send({ v: 1, type: 'call.media', callId, audio: true, video: true, seq: 2 });
  expect(await bob.nextOf('ack')).toEqual({ v: 1, type: 'ack', seq: 2 });
  // A skipped number is refused and not handled; the client must resend what is missing.
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: false, seq: 4 });
  expect(await bob.nextOf('error')).toMatchObject({
    re: null,
    code: 'bad_message',
    callId,
    message: expect.stringContaining('expected 3'),
  });
  await flushed(bob);
  const received = await alice.collect(100, (m) => m.type === 'call.media');
  expect(received.map((m) => m.type === 'call.media' && m.audio)).toEqual([false, true]);
});

test('a numbered notice the server refuses still counts: the next one is handled', async () => {
  await start();
  const callId = await startAcceptedCall(alice, bob);
  bob.send({ v: 1, type: 'call.media', callId, audio: 'loud', video: true, seq: 1 });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'bad_message', re: null });
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: true, seq: 2 });
  expect(await alice.nextOf('call.media', callId)).toMatchObject({ audio: false });
  expect(await bob.nextOf('ack')).toMatchObject({ seq: 2 });
});

test('a resumed stream tells the client which of its notices the server has', async () => {
  await start();
  const callId = await startAcceptedCall(alice, bob);
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: true, seq: 1 });
  bob.send({ v: 1, type: 'call.media', callId, audio: false, video: false, seq: 2 });
  await flushed(bob);
  bob.socket.terminate();

  const back = await server.client();
  const session = await back.resume(bob, { id: bob.streamId, received: bob.lastSeq });
  expect(session).toMatchObject({ stream: { id: bob.streamId, resumed: true, received: 2 } });
  // The client resends what it has no ack for; the server drops what it already handled.
  back.send({ v: 1, type: 'call.media', callId, audio: false, video: false, seq: 2 });
  back.send({ v: 1, type: 'call.media', callId, audio: true, video: true, seq: 3 });
  await flushed(back);
  const received = await alice.collect(100, (m) => m.type === 'call.media');
  expect(received.map((m) => m.type === 'call.media' && [m.audio, m.video])).toEqual([
    [false, true],
    [false, false],
    [true, true],
  ]);
});

test('a queue that overflows ends the stream: the resume starts a new one, and the call goes on', async () => {
  await start({ noticeQueueLimit: 3 });
  const callId = await startAcceptedCall(alice, bob);
  const before = alice.lastSeq;
  alice.socket.terminate();
  for (let i = 0; i < 4; i += 1)
    bob.send({ v: 1, type: 'call.quality', callId, poor: i % 2 === 0 });
  await flushed(bob);

  const back = await server.client();
  const session = await back.resume(alice, { id: alice.streamId, received: before });
  expect(session).toMatchObject({
    stream: { resumed: false, received: 0 },
    calls: [{ callId, state: 'accepted', role: 'caller' }],
  });
  if (session.type !== 'session') throw new Error('no session');
  expect(session.stream.id).not.toBe(alice.streamId);
  expect(await back.collect(100, isCallNotice)).toEqual([]);
  // The new stream numbers from 1.
  bob.send({ v: 1, type: 'call.rekey', callId });
  expect(seqOf(await back.nextOf('call.rekey', callId))).toBe(1);
});

test('a login, or a stream the server does not know, starts a new stream at 1', async () => {
  await start();
  const callId = await startAcceptedCall(alice, bob);
  const unknown = await server.client();
  expect(await unknown.resume(alice, { id: 'not-a-stream-of-alice', received: 3 })).toMatchObject({
    stream: { resumed: false, received: 0 },
  });
  const again = await server.client();
  expect(await again.login('alice', alice.deviceId, alice.keys)).toMatchObject({
    stream: { resumed: false, received: 0 },
    calls: [{ callId }],
  });
  bob.send({ v: 1, type: 'call.rekey', callId });
  expect(seqOf(await again.nextOf('call.rekey', callId))).toBe(1);
});

test('session.calls lists the live calls of this device, from its side', async () => {
  await start();
  const bob2 = await server.linkedDevice(bob, 'phone');
  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'video', 'offer');
  await bob.nextOf('call.invite', callId);

  // Each resume below is a new connection taking over the device from the previous one.
  const aliceRinging = await server.client();
  expect(await aliceRinging.resume(alice)).toMatchObject({
    calls: [
      {
        callId,
        peer: { username: 'bob', displayName: 'BOB' },
        media: 'video',
        role: 'caller',
        state: 'ringing',
        answeredAt: null,
      },
    ],
  });
  // A device on which the call only rings does not take part in it yet.
  const bobRinging = await server.client();
  expect(await bobRinging.resume(bob)).toMatchObject({ calls: [] });

  const acceptedAround = Date.now();
  bobRinging.accept(callId, 'audio', 'answer');
  await aliceRinging.nextOf('call.accept', callId);
  const asCaller = await (await server.client()).resume(alice);
  expect(asCaller).toMatchObject({
    calls: [{ callId, role: 'caller', state: 'accepted', media: 'video' }],
  });
  if (asCaller.type !== 'session') throw new Error('no session');
  expect(Math.abs(asCaller.calls[0]!.answeredAt! - acceptedAround)).toBeLessThan(1000);
  expect(await (await server.client()).resume(bob)).toMatchObject({
    calls: [{ callId, peer: { username: 'alice', displayName: 'ALICE' }, role: 'callee' }],
  });
  // Bob's other device did not answer: the call is not its.
  expect(await (await server.client()).resume(bob2)).toMatchObject({ calls: [] });
});

test('ping is answered ok at once, signed in or not', async () => {
  server = await TestServer.start();
  const client = await server.client();
  expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'ok' });
  await client.register('alice');
  expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'ok' });
});

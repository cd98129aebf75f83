import { randomUUID } from 'node:crypto';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
beforeEach(async () => {
  server = await TestServer.start();
  alice = await server.registered('alice');
  bob = await server.registered('bob');
});
afterEach(() => server.dispose());

const candidate = {
  candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: null,
};

async function invite(from: TestClient, to: string, callId = randomUUID()) {
  const keyShare = from.keyShare('caller', callId);
  const reply = await from.request({
    type: 'call.invite',
    callId,
    to,
    media: 'video',
    sdp: 'offer-sdp',
    keyShare,
  });
  return { callId, reply, keyShare };
}

test('full call: invite, ringing, accept, ice and media both ways, hang-up, call log', async () => {
  const { callId, reply, keyShare } = await invite(alice, 'bob');
  expect(reply).toMatchObject({ type: 'ok' });

  // The invite carries the caller device's identity chain and its key share exactly as sent.
  expect(await bob.nextOf('call.invite', callId)).toEqual({
    v: 1,
    type: 'call.invite',
    callId,
    from: {
      username: 'alice',
      displayName: 'ALICE',
      deviceId: alice.deviceId,
      identity: [{ identityKey: alice.keys.identityKey, signature: null }],
    },
    media: 'video',
    sdp: 'offer-sdp',
    keyShare,
    seq: expect.any(Number),
  });

  bob.send({ v: 1, type: 'call.ringing', callId });
  expect(await alice.nextOf('call.ringing', callId)).toEqual({
    v: 1,
    type: 'call.ringing',
    callId,
    seq: expect.any(Number),
  });

  // Caller ICE while ringing reaches the ringing device.
  alice.send({ v: 1, type: 'call.ice', callId, candidate });
  expect(await bob.nextOf('call.ice', callId)).toMatchObject({ candidate });

  const answerShare = bob.accept(callId, 'audio', 'answer-sdp');
  expect(await alice.nextOf('call.accept', callId)).toEqual({
    v: 1,
    type: 'call.accept',
    callId,
    media: 'audio',
    sdp: 'answer-sdp',
    deviceId: bob.deviceId,
    identity: [{ identityKey: bob.keys.identityKey, signature: null }],
    keyShare: answerShare,
    seq: expect.any(Number),
  });

  bob.send({ v: 1, type: 'call.ice', callId, candidate: null });
  expect(await alice.nextOf('call.ice', callId)).toMatchObject({ candidate: null });
  alice.send({ v: 1, type: 'call.media', callId, audio: false, video: true });
  expect(await bob.nextOf('call.media', callId)).toMatchObject({ audio: false, video: true });

  await new Promise((resolve) => setTimeout(resolve, 50));
  alice.send({ v: 1, type: 'call.hangup', callId });
  expect(await bob.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });

  const aliceLog = await alice.request({ type: 'calllog.list' });
  expect(aliceLog).toMatchObject({
    type: 'calllog',
    entries: [
      {
        callId,
        direction: 'outgoing',
        peer: { username: 'bob' },
        outcome: 'answered',
        media: 'video',
      },
    ],
  });
  const entry = aliceLog.type === 'calllog' ? aliceLog.entries[0]! : null;
  expect(entry!.durationMs).toBeGreaterThanOrEqual(50);
  expect(entry!.durationMs).toBe(entry!.endedAt - entry!.answeredAt!);
  const bobLog = await bob.request({ type: 'calllog.list' });
  expect(bobLog).toMatchObject({
    entries: [{ callId, direction: 'incoming', peer: { username: 'alice' }, outcome: 'answered' }],
  });

  // After a call both are each other's contacts.
  expect(await alice.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'bob', presence: 'online' }],
  });
  expect(await bob.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'alice', presence: 'online' }],
  });
  // Nothing else reached either side (no stray notices).
  expect(alice.inbox.filter((m) => m.type.startsWith('call.'))).toEqual([]);
  expect(bob.inbox.filter((m) => m.type.startsWith('call.'))).toEqual([]);
});

test('decline: the caller is told and the call log says declined for both', async () => {
  const { callId } = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.send({ v: 1, type: 'call.decline', callId });
  expect(await alice.nextOf('call.decline', callId)).toMatchObject({ callId });
  for (const client of [alice, bob]) {
    expect(await client.request({ type: 'calllog.list' })).toMatchObject({
      entries: [{ callId, outcome: 'declined', answeredAt: null, durationMs: 0 }],
    });
  }
});

test('cancel: the callee is told, and cancelling again is refused as unknown', async () => {
  const { callId } = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  alice.send({ v: 1, type: 'call.cancel', callId });
  expect(await bob.nextOf('call.cancel', callId)).toMatchObject({ reason: 'cancelled' });
  alice.send({ v: 1, type: 'call.cancel', callId });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'unknown_call', callId, re: null });
  expect(await bob.request({ type: 'calllog.list' })).toMatchObject({
    entries: [{ callId, outcome: 'cancelled', direction: 'incoming' }],
  });
});

test('busy: calling someone already in a call gets call.busy, logged as busy', async () => {
  const carol = await server.registered('carol');
  const { callId } = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  const second = await invite(carol, 'bob');
  expect(second.reply).toMatchObject({ type: 'ok' });
  expect(await carol.nextOf('call.busy', second.callId)).toMatchObject({ callId: second.callId });
  expect(await carol.request({ type: 'calllog.list' })).toMatchObject({
    entries: [{ callId: second.callId, outcome: 'busy', direction: 'outgoing' }],
  });
  // The first call is untouched and bob never saw carol's.
  bob.accept(callId, 'video', 'a');
  await alice.nextOf('call.accept', callId);
  expect(bob.inbox.filter((m) => 'callId' in m && m.callId === second.callId)).toEqual([]);
});

test('call errors: unknown user, offline callee, self, already in a call, unknown call, stranger', async () => {
  expect((await invite(alice, 'nobody')).reply).toMatchObject({ code: 'unknown_user' });
  expect((await invite(alice, 'alice')).reply).toMatchObject({ code: 'cannot_call_self' });
  await server.registered('dave').then((dave) => dave.signOut());
  const offline = await invite(alice, 'dave');
  expect(offline.reply).toMatchObject({ code: 'callee_offline', callId: offline.callId });

  const carol = await server.registered('carol');
  const { callId } = await invite(alice, 'bob');
  expect((await invite(alice, 'carol')).reply).toMatchObject({ code: 'already_in_call' });

  carol.accept(callId, 'video', 'x');
  expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  carol.send({ v: 1, type: 'call.ice', callId, candidate });
  expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  const unknown = randomUUID();
  bob.send({ v: 1, type: 'call.hangup', callId: unknown });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'unknown_call', callId: unknown });
  // The call still rings normally.
  bob.accept(callId, 'video', 'x');
  expect(await alice.nextOf('call.accept', callId)).toMatchObject({ deviceId: bob.deviceId });
  // A used call id cannot start another call.
  alice.send({ v: 1, type: 'call.hangup', callId });
  await bob.nextOf('call.hangup', callId);
  expect((await invite(alice, 'bob', callId)).reply).toMatchObject({ code: 'call_state' });
});

test('glare: when both call each other, the second caller gets glare and one call rings', async () => {
  const first = await invite(alice, 'bob');
  const second = await invite(bob, 'alice');
  expect(second.reply).toMatchObject({ type: 'error', code: 'glare', callId: second.callId });
  const offered = await bob.nextOf('call.invite', first.callId);
  expect(offered.from.username).toBe('alice');
  bob.accept(first.callId, 'video', 'a');
  expect(await alice.nextOf('call.accept', first.callId)).toMatchObject({ callId: first.callId });
  expect(alice.inbox.filter((m) => m.type === 'call.invite')).toEqual([]);
});

test('call.rekey is relayed between the two parties of an accepted call only', async () => {
  const carol = await server.registered('carol');
  const { callId } = await invite(alice, 'bob');
  await bob.nextOf('call.invite', callId);
  alice.send({ v: 1, type: 'call.rekey', callId });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'call_state', callId });

  bob.accept(callId, 'video', 'a');
  await alice.nextOf('call.accept', callId);
  alice.send({ v: 1, type: 'call.rekey', callId });
  expect(await bob.nextOf('call.rekey', callId)).toMatchObject({ type: 'call.rekey', callId });
  bob.send({ v: 1, type: 'call.rekey', callId });
  expect(await alice.nextOf('call.rekey', callId)).toMatchObject({ type: 'call.rekey', callId });

  carol.send({ v: 1, type: 'call.rekey', callId });
  expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  expect(await bob.collect(100, (m) => m.type === 'call.rekey')).toEqual([]);
});

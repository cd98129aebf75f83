import { linkedDeviceChain, startRingingCallServer } from '../support/ringingCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

/** call.offer / answer / restart / quality / rejoin / rejoined: only between the two parties. */
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let bobPhone: TestClient;
let carol: TestClient;
let callId: string;
beforeEach(async () => {
  ({ server, alice, bob, bobPhone, carol, callId } = await startRingingCallServer());
});
afterEach(() => server.dispose());

async function answerOnPhone() {
  bobPhone.accept(callId, 'video', 'answer');
  await alice.nextOf('call.accept', callId);
}

test('offer, answer, restart and quality are relayed unchanged both ways in an accepted call', async () => {
  await answerOnPhone();
  alice.send({ v: 1, type: 'call.offer', callId, sdp: 'restart-offer' });
  expect(await bobPhone.nextOf('call.offer', callId)).toEqual({
    v: 1,
    type: 'call.offer',
    callId,
    sdp: 'restart-offer',
    seq: expect.any(Number),
  });
  bobPhone.send({ v: 1, type: 'call.answer', callId, sdp: 'restart-answer' });
  expect(await alice.nextOf('call.answer', callId)).toMatchObject({ sdp: 'restart-answer' });
  bobPhone.send({ v: 1, type: 'call.restart', callId });
  expect(await alice.nextOf('call.restart', callId)).toMatchObject({ type: 'call.restart' });
  alice.send({ v: 1, type: 'call.quality', callId, poor: true });
  expect(await bobPhone.nextOf('call.quality', callId)).toMatchObject({ poor: true });
  // The device that did not answer hears none of it.
  expect(
    await bob.collect(100, (m) => m.type.startsWith('call.') && m.type !== 'call.cancel'),
  ).toEqual([]);
});

test('rejoin and rejoined carry the sender’s device and identity chain, as an accept does', async () => {
  await answerOnPhone();
  const share = bobPhone.keyShare('callee', callId);
  bobPhone.send({ v: 1, type: 'call.rejoin', callId, sdp: 'new-offer', keyShare: share });
  expect(await alice.nextOf('call.rejoin', callId)).toEqual({
    v: 1,
    type: 'call.rejoin',
    callId,
    sdp: 'new-offer',
    keyShare: share,
    deviceId: bobPhone.deviceId,
    identity: linkedDeviceChain(bob, bobPhone),
    seq: expect.any(Number),
  });
  const answer = alice.keyShare('caller', callId);
  alice.send({ v: 1, type: 'call.rejoined', callId, sdp: 'new-answer', keyShare: answer });
  expect(await bobPhone.nextOf('call.rejoined', callId)).toMatchObject({
    sdp: 'new-answer',
    keyShare: answer,
    deviceId: alice.deviceId,
    identity: [{ identityKey: alice.keys.identityKey, signature: null }],
  });
});

test('refused with the call id: from a stranger, while ringing, and from the device that did not answer', async () => {
  const share = () => carol.keyShare('caller', callId);
  carol.send({ v: 1, type: 'call.offer', callId, sdp: 'x' });
  expect(await carol.nextOf('error')).toMatchObject({ re: null, code: 'not_in_call', callId });
  carol.send({ v: 1, type: 'call.rejoin', callId, sdp: 'x', keyShare: share() });
  expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });

  alice.send({ v: 1, type: 'call.offer', callId, sdp: 'x' });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  bob.send({ v: 1, type: 'call.quality', callId, poor: true });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId });

  await answerOnPhone();
  bob.send({
    v: 1,
    type: 'call.rejoin',
    callId,
    sdp: 'x',
    keyShare: bob.keyShare('callee', callId),
  });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  bob.send({ v: 1, type: 'call.restart', callId });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  expect(
    await alice.collect(100, (m) => ['call.offer', 'call.rejoin', 'call.restart'].includes(m.type)),
  ).toEqual([]);

  alice.send({ v: 1, type: 'call.hangup', callId });
  await bobPhone.nextOf('call.hangup', callId);
  alice.send({ v: 1, type: 'call.offer', callId, sdp: 'x' });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'unknown_call', callId });
});

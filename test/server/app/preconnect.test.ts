import { linkedDeviceChain, startRingingCallServer } from '../support/ringingCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

/** call.preconnect: a ringing callee device answers early, to the caller only. */
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let bobPhone: TestClient;
let carol: TestClient;
let callId: string;
const candidate = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'abcd',
};

beforeEach(async () => {
  ({ server, alice, bob, bobPhone, carol, callId } = await startRingingCallServer());
});
afterEach(() => server.dispose());

function preconnect(device: TestClient, sdp: string) {
  const keyShare = device.keyShare('callee', callId);
  device.send({ v: 1, type: 'call.preconnect', callId, sdp, keyShare });
  return keyShare;
}

const callNotices = (m: { type: string }) => m.type.startsWith('call.');

test('each ringing device’s early answer reaches the caller with its device and identity chain, and no other device', async () => {
  const share = preconnect(bobPhone, 'early-answer-phone');
  expect(await alice.nextOf('call.preconnect', callId)).toEqual({
    v: 1,
    type: 'call.preconnect',
    callId,
    sdp: 'early-answer-phone',
    keyShare: share,
    deviceId: bobPhone.deviceId,
    identity: linkedDeviceChain(bob, bobPhone),
    seq: expect.any(Number),
  });
  preconnect(bob, 'early-answer-laptop');
  expect(await alice.nextOf('call.preconnect', callId)).toMatchObject({
    sdp: 'early-answer-laptop',
    deviceId: bob.deviceId,
  });
  // The other ringing device hears nothing of its sibling's answer; nothing ended.
  expect(await bob.collect(100, callNotices)).toEqual([]);
  expect(await bobPhone.collect(50, callNotices)).toEqual([]);
});

test('a pre-connected ringing device’s candidates reach the caller naming it; the caller’s reach every ringing device unchanged', async () => {
  preconnect(bobPhone, 'early-answer');
  await alice.nextOf('call.preconnect', callId);
  bobPhone.send({ v: 1, type: 'call.ice', callId, candidate });
  expect(await alice.nextOf('call.ice', callId)).toEqual({
    v: 1,
    type: 'call.ice',
    callId,
    candidate,
    deviceId: bobPhone.deviceId,
    seq: expect.any(Number),
  });
  alice.send({ v: 1, type: 'call.ice', callId, candidate: null });
  const relayed = await Promise.all([
    bob.nextOf('call.ice', callId),
    bobPhone.nextOf('call.ice', callId),
  ]);
  for (const message of relayed) expect(message).not.toHaveProperty('deviceId');
});

test('a ringing device that did not pre-connect still may not send candidates', async () => {
  preconnect(bobPhone, 'early-answer');
  await alice.nextOf('call.preconnect', callId);
  bob.send({ v: 1, type: 'call.ice', callId, candidate });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  expect(await alice.collect(100, (m) => m.type === 'call.ice')).toEqual([]);
});

test('the caller, an outsider and a device that lost the race are refused, and nothing is relayed', async () => {
  preconnect(alice, 'not-an-answer');
  expect(await alice.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  preconnect(carol, 'intruder');
  expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId, re: null });

  preconnect(bob, 'early-answer');
  await alice.nextOf('call.preconnect', callId);
  bobPhone.accept(callId, 'video', 'answer');
  await Promise.all([alice.nextOf('call.accept', callId), bob.nextOf('call.cancel', callId)]);
  // The laptop lost the race: its pre-connection is over, and the server says so.
  preconnect(bob, 'too-late');
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  bob.send({ v: 1, type: 'call.ice', callId, candidate });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  // The device that answered has nothing to pre-connect any more either.
  preconnect(bobPhone, 'again');
  expect(await bobPhone.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  expect(
    await alice.collect(100, (m) => m.type === 'call.preconnect' || m.type === 'call.ice'),
  ).toEqual([]);
});

test('the caller names the device whose early answer it took: that device alone is told, once', async () => {
  preconnect(bobPhone, 'early-answer-phone');
  preconnect(bob, 'early-answer-laptop');
  await alice.nextOf('call.preconnect', callId);
  await alice.nextOf('call.preconnect', callId);
  alice.send({ v: 1, type: 'call.preconnected', callId, deviceId: bobPhone.deviceId });
  expect(await bobPhone.nextOf('call.preconnected', callId)).toEqual({
    v: 1,
    type: 'call.preconnected',
    callId,
    seq: expect.any(Number),
  });
  expect(await bob.collect(100, callNotices)).toEqual([]);
  // Only one device may connect to the caller's one connection.
  alice.send({ v: 1, type: 'call.preconnected', callId, deviceId: bob.deviceId });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  expect(await bob.collect(100, callNotices)).toEqual([]);
});

test('only the caller may say which early answer it took, and only of a device that pre-connected', async () => {
  alice.send({ v: 1, type: 'call.preconnected', callId, deviceId: bob.deviceId });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  preconnect(bob, 'early-answer');
  await alice.nextOf('call.preconnect', callId);
  bobPhone.send({ v: 1, type: 'call.preconnected', callId, deviceId: bob.deviceId });
  expect(await bobPhone.nextOf('error')).toMatchObject({ code: 'call_state', callId, re: null });
  carol.send({ v: 1, type: 'call.preconnected', callId, deviceId: bob.deviceId });
  expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId, re: null });
  alice.send({ v: 1, type: 'call.preconnected', callId, deviceId: 'not a device id!' });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'bad_message', callId, re: null });
  expect(await bob.collect(100, (m) => m.type === 'call.preconnected')).toEqual([]);
});

test('a malformed preconnect is refused with its call id and relays nothing', async () => {
  bob.send({ v: 1, type: 'call.preconnect', callId, sdp: 'early-answer' });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'bad_message', callId, re: null });
  expect(await alice.collect(100, (m) => m.type === 'call.preconnect')).toEqual([]);
});

test('after a preconnect the call still ends as before: a decline reaches the caller and the other device', async () => {
  preconnect(bob, 'early-answer');
  preconnect(bobPhone, 'early-answer-2');
  await alice.nextOf('call.preconnect', callId);
  bobPhone.send({ v: 1, type: 'call.decline', callId });
  await Promise.all([alice.nextOf('call.decline', callId), bob.nextOf('call.decline', callId)]);
  preconnect(bob, 'after-the-end');
  expect(await bob.nextOf('error')).toMatchObject({ code: 'unknown_call', callId });
});

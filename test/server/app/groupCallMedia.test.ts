import { randomUUID } from 'node:crypto';
import type { BoundedJsonObject } from '../../../protocol';
import type { MediaRouter } from '../../../server/sfu/MediaRouter';
import { SfuFullError } from '../../../server/sfu/SfuWorkerPool';
import { FakeMediaRouter } from '../support/FakeMediaRouter';
import { createCall, joinCall } from '../support/groupCall';
import { startGroupCallServer } from '../support/groupCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Media through the SFU": each member's SFU requests answered for its own slot
// through the real server, over the fake media router (held to the real one's contract by
// test/server/sfu/mediaRouter.test.ts).
let router: FakeMediaRouter;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let callId: string;
beforeEach(async () => {
  router = new FakeMediaRouter();
  ({ server, alice, bob, carol } = await startGroupCallServer(['alice', 'bob', 'carol'], {
    mediaRouter: router,
  }));
  ({ callId } = await createCall(alice));
  await joinCall(alice, bob, callId);
});
afterEach(() => server.dispose());

const dtls: BoundedJsonObject = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }],
};
const camera = (ssrc: number): BoundedJsonObject => ({
  mid: '1',
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
  encodings: [{ ssrc }, { ssrc: ssrc + 1 }, { ssrc: ssrc + 2 }],
});

/** The member's router capabilities and transports, both connected. */
async function onSfu(member: TestClient) {
  const caps = await member.request({ type: 'room.router', callId });
  if (caps.type !== 'room.router') throw new Error(JSON.stringify(caps));
  const transports = await member.request({
    type: 'room.transports',
    callId,
    rtpCapabilities: caps.rtpCapabilities,
  });
  if (transports.type !== 'room.transports') throw new Error(JSON.stringify(transports));
  for (const transport of [transports.send, transports.recv]) {
    const connected = await member.request({
      type: 'room.connect',
      callId,
      transportId: transport.id,
      dtlsParameters: dtls,
    });
    expect(connected).toMatchObject({ type: 'ok' });
  }
  return transports;
}

test("a member's camera reaches the other as a paused consumer, which it resumes and shapes", async () => {
  await onSfu(alice);
  const bobs = await onSfu(bob);
  const produced = await alice.request({
    type: 'room.produce',
    callId,
    kind: 'video',
    source: 'camera',
    rtpParameters: camera(2000),
  });
  if (produced.type !== 'room.produced') throw new Error(JSON.stringify(produced));
  const consumer = await bob.nextOf('room.consumer', callId);
  expect(consumer).toMatchObject({
    transportId: bobs.recv.id,
    producerId: produced.producerId,
    slot: 0,
    kind: 'video',
    source: 'camera',
  });
  const fake = router.calls.get(callId)!.members.get(1)!.consumers.get(consumer.consumerId)!;
  expect(fake.paused).toBe(true);
  const ask = (type: string, fields: object = {}) =>
    bob.request({ type, callId, consumerId: consumer.consumerId, ...fields });
  expect(await ask('room.resume')).toMatchObject({ type: 'ok' });
  expect(fake.paused).toBe(false);
  expect(await ask('room.keyframe')).toMatchObject({ type: 'ok' });
  expect(fake.keyFrameRequests).toBe(1);
  expect(await ask('room.layers', { spatialLayer: 0, temporalLayer: 2 })).toMatchObject({
    type: 'ok',
  });
  expect(fake.preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 2 });
  expect(await ask('room.pause')).toMatchObject({ type: 'ok' });
  expect(fake.paused).toBe(true);
  // Alice never gets a consumer of her own camera.
  expect(await alice.collect(100, (m) => m.type === 'room.consumer')).toEqual([]);

  // A screen share that stops closes its consumers.
  expect(
    await alice.request({ type: 'room.producer_close', callId, producerId: produced.producerId }),
  ).toMatchObject({ type: 'ok' });
  expect(await bob.nextOf('room.consumer_closed', callId)).toMatchObject({
    consumerId: consumer.consumerId,
  });
});

test('a member cannot touch what is not its own: call_state, and nothing changes', async () => {
  await onSfu(alice);
  const bobs = await onSfu(bob);
  await alice.request({
    type: 'room.produce',
    callId,
    kind: 'video',
    source: 'camera',
    rtpParameters: camera(2000),
  });
  const consumer = await bob.nextOf('room.consumer', callId);
  const refused = await alice.request({
    type: 'room.resume',
    callId,
    consumerId: consumer.consumerId,
  });
  expect(refused).toMatchObject({ type: 'error', code: 'call_state', callId });
  expect(
    await alice.request({ type: 'room.restart_ice', callId, transportId: bobs.send.id }),
  ).toMatchObject({ type: 'error', code: 'call_state' });
  const fake = router.calls.get(callId)!.members.get(1)!.consumers.get(consumer.consumerId)!;
  expect(fake.paused).toBe(true);
});

test('bad parameters are bad_message; a stranger is not_in_call; an unknown call unknown_call', async () => {
  await onSfu(alice);
  const audioAsVideo = await alice.request({
    type: 'room.produce',
    callId,
    kind: 'video',
    source: 'camera',
    rtpParameters: { mid: '0', codecs: [{ mimeType: 'audio/opus', payloadType: 100 }] },
  });
  expect(audioAsVideo).toMatchObject({ type: 'error', code: 'bad_message', callId });
  expect(await carol.request({ type: 'room.router', callId })).toMatchObject({
    type: 'error',
    code: 'not_in_call',
    callId,
  });
  const elsewhere = randomUUID();
  expect(await alice.request({ type: 'room.router', callId: elsewhere })).toMatchObject({
    type: 'error',
    code: 'unknown_call',
    callId: elsewhere,
  });
});

test("restarting ICE gives the member's transport new parameters", async () => {
  const { send } = await onSfu(alice);
  const ice = await alice.request({ type: 'room.restart_ice', callId, transportId: send.id });
  if (ice.type !== 'room.ice') throw new Error(JSON.stringify(ice));
  expect(ice.iceParameters.usernameFragment).not.toEqual(send.iceParameters.usernameFragment);
});

test("a member who leaves takes its media with it: the others' consumers of it close", async () => {
  await joinCall(alice, carol, callId);
  await onSfu(alice);
  await onSfu(bob);
  await onSfu(carol);
  await carol.request({
    type: 'room.produce',
    callId,
    kind: 'video',
    source: 'camera',
    rtpParameters: camera(3000),
  });
  const ofCarol = await alice.nextOf('room.consumer', callId);
  carol.send({ v: 1, type: 'room.leave', callId });
  expect(await alice.nextOf('room.consumer_closed', callId)).toMatchObject({
    consumerId: ofCarol.consumerId,
  });
  expect(router.calls.get(callId)!.members.has(2)).toBe(false);
});

test('the member heard most is named to every member', async () => {
  await joinCall(alice, carol, callId);
  await onSfu(alice);
  router.speak(callId, 2);
  for (const member of [alice, bob, carol]) {
    expect(await member.nextOf('room.speaker', callId)).toMatchObject({ slot: 2 });
  }
});

test('when the SFU loses the call every member is told to start its media again', async () => {
  await onSfu(alice);
  router.loseCall(callId);
  for (const member of [alice, bob]) {
    expect(await member.nextOf('room.sfu_lost', callId)).toMatchObject({ callId });
  }
  // A new router carries the call from the next request on.
  await onSfu(bob);
  expect(router.calls.has(callId)).toBe(true);
});

test("the call's router goes when the call ends", async () => {
  await onSfu(alice);
  expect(router.calls.has(callId)).toBe(true);
  bob.send({ v: 1, type: 'room.leave', callId });
  await alice.nextOf('room.ended', callId);
  expect(router.calls.has(callId)).toBe(false);
});

test('an SFU that cannot carry the call answers sfu_unavailable, and the call goes on', async () => {
  await server.dispose();
  const refusing: MediaRouter = {
    openCall: () => Promise.reject(new SfuFullError(20)),
    close: () => {},
  };
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], {
    mediaRouter: refusing,
  }));
  ({ callId } = await createCall(alice));
  await joinCall(alice, bob, callId);
  const refused = await alice.request({ type: 'room.router', callId });
  expect(refused).toMatchObject({ type: 'error', code: 'sfu_unavailable', callId });
  if (refused.type !== 'error') throw new Error('not refused');
  expect(refused.message).toContain('capacity');
  // The call goes on: what members send each other still arrives.
  bob.send({ v: 1, type: 'room.media', callId, audio: true, video: true, screen: false });
  expect(await alice.nextOf('room.media', callId)).toMatchObject({ slot: 1 });
});

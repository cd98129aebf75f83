import type { BoundedJsonObject, RoomServerMessage } from '../../../protocol';
import { RoomMedia, RoomMediaError } from '../../../server/rooms/RoomMedia';
import { FakeMediaRouter } from '../support/FakeMediaRouter';
import { device, openRoom } from './roomFixture';

const opus: BoundedJsonObject = { mid: '0', codecs: [{ mimeType: 'audio/opus' }], encodings: [] };
const vp8: BoundedJsonObject = { mid: '1', codecs: [{ mimeType: 'video/VP8' }], encodings: [] };

/** A room of three (path sfu) whose members' SFU requests go through RoomMedia to a fake SFU. */
function groupCall(participantsPerCall?: number) {
  const fixture = openRoom();
  fixture.join(2);
  fixture.join(3);
  const router = new FakeMediaRouter(participantsPerCall);
  const sent: { to: string; message: RoomServerMessage }[] = [];
  const media = new RoomMedia(fixture.room, {
    media: router,
    send: (to, message) => sent.push({ to, message }),
  });
  const typed = <T extends RoomServerMessage['type']>(type: T) =>
    sent.filter(
      (s): s is { to: string; message: Extract<RoomServerMessage, { type: T }> } =>
        s.message.type === type,
    );
  const join = async (deviceId: string) =>
    media.transports(deviceId, await media.rtpCapabilities(deviceId));
  return { ...fixture, router, media, sent, typed, join };
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RoomMediaError);
  return (error as RoomMediaError).code;
}

test("a member's producer becomes a paused consumer on each other member's device, named by its slot", async () => {
  const call = groupCall();
  for (const userId of [1, 2, 3]) await call.join(device(userId));
  const producerId = await call.media.produce(device(2), {
    kind: 'audio',
    source: 'microphone',
    rtpParameters: opus,
  });
  expect(
    call.typed('room.consumer').map(({ to, message }) => [to, message.slot, message.producerId]),
  ).toEqual([
    [device(1), 1, producerId],
    [device(3), 1, producerId],
  ]);
  const toFirst = call.typed('room.consumer')[0]!.message;
  await call.media.resume(device(1), toFirst.consumerId);
  expect(await refusal(call.media.resume(device(3), toFirst.consumerId))).toBe('call_state');
});

test('a member who leaves takes its media: the others are told their consumers closed', async () => {
  const call = groupCall();
  for (const userId of [1, 2, 3]) await call.join(device(userId));
  await call.media.produce(device(3), { kind: 'video', source: 'camera', rtpParameters: vp8 });
  const consumers = call.typed('room.consumer').map(({ to, message }) => [to, message.consumerId]);
  expect(consumers.map(([to]) => to)).toEqual([device(1), device(2)]);
  expect(call.room.hangup(device(3))).toEqual({ ok: true });
  call.media.memberLeft(2);
  await new Promise((resolve) => setImmediate(resolve));
  const closed = call.typed('room.consumer_closed');
  expect(closed.map(({ to, message }) => [to, message.consumerId])).toEqual(consumers);
});

test('SFU requests come only from members, and only once the media goes through the SFU', async () => {
  const pair = openRoom();
  pair.join(2);
  const media = new RoomMedia(pair.room, { media: new FakeMediaRouter(), send: () => {} });
  expect(await refusal(media.rtpCapabilities(device(1)))).toBe('call_state');
  const call = groupCall();
  expect(await refusal(call.media.rtpCapabilities('stranger'))).toBe('not_in_call');
  expect(await refusal(call.media.rtpCapabilities(device(2, 1)))).toBe('not_in_call');
});

test("parameters the SFU refuses are the member's bad message; a transport of another member is not its", async () => {
  const call = groupCall();
  const first = await call.join(device(1));
  await call.join(device(2));
  expect(
    await refusal(
      call.media.produce(device(1), { kind: 'video', source: 'camera', rtpParameters: opus }),
    ),
  ).toBe('bad_message');
  expect(await refusal(call.media.connect(device(2), first.send.id, { fingerprints: [] }))).toBe(
    'call_state',
  );
});

test("a member the SFU has no room for is told the call is full, and the others' media is untouched", async () => {
  const call = groupCall(2);
  await call.join(device(1));
  await call.join(device(2));
  expect(await refusal(call.join(device(3)))).toBe('room_full');
  await call.media.produce(device(1), { kind: 'audio', source: 'microphone', rtpParameters: opus });
  expect(call.typed('room.consumer').map(({ to }) => to)).toEqual([device(2)]);
});

test('a lost worker: every member is told to start again, and the next request gets a new router', async () => {
  const call = groupCall();
  for (const userId of [1, 2, 3]) await call.join(device(userId));
  call.router.loseCall('room-1');
  expect(call.typed('room.sfu_lost').map(({ to }) => to)).toEqual([
    device(1),
    device(2),
    device(3),
  ]);
  const again = await call.join(device(1));
  expect(again.send.id).toBeDefined();
  expect(call.router.calls.has('room-1')).toBe(true);
});

test('an SFU that cannot take the call answers sfu_unavailable, and a later request tries again', async () => {
  const call = groupCall();
  const openCall = jest
    .spyOn(call.router, 'openCall')
    .mockRejectedValueOnce(new Error('Group calls are at capacity'));
  expect(await refusal(call.media.rtpCapabilities(device(1)))).toBe('sfu_unavailable');
  await call.join(device(1));
  expect(openCall).toHaveBeenCalledTimes(2);
});

test('after the room ends, its router is closed and requests are refused', async () => {
  const call = groupCall();
  await call.join(device(1));
  call.media.close();
  await new Promise((resolve) => setImmediate(resolve));
  expect(call.router.calls.size).toBe(0);
  expect(await refusal(call.media.rtpCapabilities(device(1)))).toBe('unknown_call');
});

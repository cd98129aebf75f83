import { randomUUID } from 'node:crypto';
import type { CallMedia } from '../../../../protocol';
import { MediaAccessError } from '../../../../renderer/call/mediaErrors';
import { fakeTrack } from '../fakeRoomServer';
import {
  FakeOneToOneCall,
  answerCreateAlone,
  carolJoinsOntoSfu,
  growByInvitingCarol,
  inputsOf,
  ringFrom,
  roomClientPage,
  type RoomClientPage,
} from '../roomClientPage';
import { settle } from '../settle';

// Key agreement and signing are real Web Crypto work: a busy machine is slow.
jest.setTimeout(30_000);

/**
 * Our camera turned on in a group call that has none from us, through RoomClient (our member,
 * the group call's media, the SFU path a fake: SfuPath itself is tested in Chromium, test/e2e).
 */

const pages: RoomClientPage[] = [];
afterEach(() => {
  for (const page of pages.splice(0)) page.client.onSignedOut();
});

/** A page whose call opens the microphone, and the camera only for video, as getUserMedia does. */
async function page(deps: Parameters<typeof roomClientPage>[2] = {}): Promise<RoomClientPage> {
  const s = await roomClientPage(
    'alice',
    {},
    {
      localTracks: async (media) => ({
        microphone: fakeTrack('audio'),
        camera: media === 'video' ? fakeTrack('video') : null,
      }),
      ...deps,
    },
  );
  pages.push(s);
  return s;
}

/** Alice creates a group call of `media`, alone in it yet; resolves once her media is sent. */
async function created(s: RoomClientPage, media: CallMedia): Promise<void> {
  answerCreateAlone(s);
  await s.client.create(media, []);
  await settle(() => s.server.of('room.media').length === 1);
}

/** What the others were last told we send (room.media). */
function lastTold(s: RoomClientPage) {
  const { audio, video } = s.server.of('room.media').at(-1)!;
  return { audio, video };
}

const ownTile = (s: RoomClientPage) => s.client.view.value!.tiles.find((t) => t.self)!;

test('in a group voice call the camera button opens the chosen camera, sends it through the SFU and tells the others; off and on again is the same camera, disabled and enabled', async () => {
  const s = await page();
  await created(s, 'audio');
  const member = s.client.member;
  expect(member.canUseCamera.value).toBe(false);
  expect(s.path().produced).toEqual(['microphone']);
  expect(lastTold(s)).toEqual({ audio: true, video: false });

  member.toggleCamera();
  await settle(() => s.server.of('room.media').length === 2);
  expect(s.camerasOpened).toHaveLength(1);
  const [camera] = s.camerasOpened;
  expect(s.path().produced).toEqual(['microphone', 'camera']);
  expect(lastTold(s)).toEqual({ audio: true, video: true });
  expect(member.canUseCamera.value).toBe(true);
  expect(member.cameraOff.value).toBe(false);
  expect(inputsOf(member)).toContain(camera);
  expect(ownTile(s)).toMatchObject({ cameraOn: true, camera: { id: `stream:${camera!.id}` } });

  // Off: the producer stays, its track disabled; on again: no second camera is opened.
  member.toggleCamera();
  expect(camera!.enabled).toBe(false);
  expect(lastTold(s)).toEqual({ audio: true, video: false });
  expect(ownTile(s)).toMatchObject({ cameraOn: false });
  member.toggleCamera();
  expect(camera!.enabled).toBe(true);
  expect(lastTold(s)).toEqual({ audio: true, video: true });
  expect(s.camerasOpened).toHaveLength(1);
  expect(s.path().produced).toEqual(['microphone', 'camera']);
  expect(s.path().stopped).toEqual([]);
});

test('a group video call joined with sound only offers to switch to video, and the camera goes out when pressed', async () => {
  const s = await page();
  const callId = randomUUID();
  await ringFrom(s, callId, 'bob');
  await s.client.join('audio');
  await settle(() => s.server.of('room.media').length === 1);
  const member = s.client.member;
  expect(member.canUseCamera.value).toBe(false);
  expect(lastTold(s)).toEqual({ audio: true, video: false });

  member.toggleCamera();
  await settle(() => s.server.of('room.media').length === 2);
  expect(s.path().produced).toEqual(['microphone', 'camera']);
  expect(lastTold(s)).toEqual({ audio: true, video: true });
  expect(member.canUseCamera.value).toBe(true);
});

test('a camera that cannot be opened says why on the camera button, and nothing is sent or told', async () => {
  const denied = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
  const s = await page({
    openCamera: () => Promise.reject(new MediaAccessError(denied, 'camera')),
  });
  await created(s, 'audio');
  const member = s.client.member;
  member.toggleCamera();
  await settle(() => member.cameraFailure.value !== null);
  expect(member.cameraFailure.value).toBe('camera_denied');
  expect(member.canUseCamera.value).toBe(false);
  expect(s.path().produced).toEqual(['microphone']);
  expect(s.server.of('room.media')).toHaveLength(1);
});

test('a grown voice call still carried by its 1:1 connection turns the camera on over it: one camera, offered to the peer, who is told; our tile shows it; the SFU sends that same camera once it carries the call', async () => {
  // Alice's 1:1 voice call with Bob grows: Carol rings (or declined), the 1:1 connection carries it.
  const call = await FakeOneToOneCall.start(null, 'audio');
  const s = await page({ oneToOneCall: call.growable });
  const aliceEntry = await growByInvitingCarol(s, call);
  const member = s.client.member;
  expect(member).toBe(call.member);
  expect(member.canUseCamera.value).toBe(false);

  member.toggleCamera();
  await settle(() => member.canUseCamera.value);
  // The 1:1 call's renegotiation opened one camera into the call's media and offered it to Bob.
  expect(call.camerasOpened).toHaveLength(1);
  expect(s.camerasOpened).toHaveLength(0);
  const [camera] = call.camerasOpened;
  expect(call.asked).toContain('1:1 offers video');
  expect(call.told.at(-1)).toMatchObject({ audio: true, video: true });
  expect(member.cameraOff.value).toBe(false);
  expect(inputsOf(member)).toContain(camera);
  expect(ownTile(s)).toMatchObject({ cameraOn: true, camera: { id: `stream:${camera!.id}` } });
  // Nothing goes through the SFU yet, so the group is told nothing yet.
  expect(s.server.of('room.media')).toHaveLength(0);

  // The SFU carries the call: it sends the same camera, and the group is told.
  await carolJoinsOntoSfu(s, call, aliceEntry);
  await settle(() => s.server.of('room.media').length === 1);
  expect(s.path().produced).toEqual(['microphone', 'camera']);
  expect(lastTold(s)).toEqual({ audio: true, video: true });
  expect(call.camerasOpened).toHaveLength(1);
  expect(s.camerasOpened).toHaveLength(0);
  expect(inputsOf(member)).toContain(camera);
});

test('a grown call whose camera failed, once the SFU carries it, turns the camera on through the SFU', async () => {
  // A 1:1 video call whose camera was refused: it goes on with sound only, and grows.
  const call = await FakeOneToOneCall.start('camera_denied');
  const s = await page({ oneToOneCall: call.growable });
  const aliceEntry = await growByInvitingCarol(s, call);
  const member = s.client.member;
  expect(member).toBe(call.member);

  // Carol joins, verified, and the SFU carries the call: now the camera goes out through it.
  await carolJoinsOntoSfu(s, call, aliceEntry);
  await settle(() => s.server.of('room.media').length === 1);
  expect(s.path().produced).toEqual(['microphone']);

  member.toggleCamera();
  await settle(() => s.server.of('room.media').length === 2);
  expect(s.camerasOpened).toHaveLength(1);
  expect(call.camerasOpened).toHaveLength(0);
  expect(s.path().produced).toEqual(['microphone', 'camera']);
  expect(lastTold(s)).toEqual({ audio: true, video: true });
  expect(member.cameraFailure.value).toBeNull();
  expect(member.canUseCamera.value).toBe(true);
});

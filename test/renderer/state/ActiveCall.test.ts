import { LocalMedia } from '../../../renderer/call/LocalMedia';
import type { MediaPath } from '../../../renderer/call/MediaPath';
import { ActiveCall } from '../../../renderer/state/ActiveCall';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import { CallMembers } from '../../../renderer/state/CallMembers';
import { fakeTrack } from './fakeRoomServer';

const quiet = { trackEnded() {}, changed() {} };

/** A call's camera and microphone, open (a 1:1 call's, or a group call's once sent). */
function openCall() {
  const microphone = fakeTrack('audio');
  const camera = fakeTrack('video');
  const local = new LocalMedia({ microphone, camera }, quiet);
  const call = new ActiveCall(new CallMembers(new CallMediaControls()), local);
  const states = () => [microphone.readyState, camera.readyState];
  return { call, local, microphone, camera, states };
}

/** A path that records what it is asked to send (the SFU's, in a grown call). */
function recordingPath(sent: string[]): MediaPath {
  return {
    keyPort: { post() {} },
    send: async (source, track) => void sent.push(`${source} ${track?.id ?? 'nothing'}`),
    close() {},
  };
}

test("a 1:1 call's hang-up stops its camera and microphone", () => {
  const { call, states } = openCall();
  call.hold('pair');
  expect(states()).toEqual(['live', 'live']);
  call.letGo('pair');
  expect(states()).toEqual(['ended', 'ended']);
});

test("a grown call's 1:1 side closing leaves the camera and microphone running for the group call, whose end stops them", async () => {
  const { call, local, microphone, states } = openCall();
  call.hold('pair');
  call.hold('room');
  const sent: string[] = [];
  await local.sendTo(recordingPath(sent));

  call.letGo('pair');
  expect(states()).toEqual(['live', 'live']);
  // Still the group call's: another microphone goes out through its path.
  const another = fakeTrack('audio');
  await local.replaceInput(another);
  expect(sent.at(-1)).toBe(`microphone ${another.id}`);
  expect(microphone.readyState).toBe('ended');

  call.letGo('room');
  expect([another.readyState, states()[1]]).toEqual(['ended', 'ended']);
});

test('a group call that ends while its 1:1 side still carries it leaves the tracks to the 1:1 call', () => {
  const { call, states } = openCall();
  call.hold('pair');
  call.hold('room');
  call.letGo('room');
  expect(states()).toEqual(['live', 'live']);
  call.letGo('pair');
  expect(states()).toEqual(['ended', 'ended']);
});

test('a group call entered directly stops what it opened when it is over for us, once, whatever says so twice', () => {
  const local = LocalMedia.empty(quiet);
  const call = new ActiveCall(new CallMembers(new CallMediaControls()), local);
  call.hold('room');
  const microphone = fakeTrack('audio');
  local.take({ microphone, camera: null });
  expect(microphone.readyState).toBe('live');
  call.letGo('room');
  call.letGo('room');
  expect(microphone.readyState).toBe('ended');
});

test('a pre-connected call declined leaves nothing open: a device that opens late stops at once', () => {
  const local = LocalMedia.empty(quiet);
  const call = new ActiveCall(new CallMembers(new CallMediaControls()), local);
  call.hold('pair');
  call.letGo('pair');
  const late = fakeTrack('audio');
  local.take({ microphone: late, camera: null });
  expect(late.readyState).toBe('ended');
  expect(local.hasInputs).toBe(false);
});

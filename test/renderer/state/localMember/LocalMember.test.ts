import type { MemberMedia } from '../../../../renderer/state/roomCallState';
import { LocalMember, type MemberEngine } from '../../../../renderer/state/localMember/LocalMember';
import { FakeTrack, fakeStream } from '../../media/fakeMediaDevices';
import { fakeTrack } from '../fakeRoomServer';
import { FakeOneToOneCall, roomClientPage } from '../roomClientPage';
import { settle } from '../settle';

// The grown call's key agreement is real Web Crypto work: a busy machine is slow.
jest.setTimeout(30_000);

/**
 * RTCPeerConnection does not exist under Node, so our media is a stand-in for the call's engine
 * (the browser path is in test/e2e); what the others are told is the `announce` port.
 */
function memberInCall() {
  const said: MemberMedia[] = [];
  const member = new LocalMember();
  const channel = member.announceThrough((state) => said.push(state));
  const engine: MemberEngine = {
    localStream: fakeStream([new FakeTrack('audio', 'mic-1'), new FakeTrack('video', 'cam-1')]),
    hasVideo: true,
    setMicrophoneEnabled() {},
    setCameraEnabled() {},
    sendScreen: async () => {},
  };
  member.attach(engine);
  return { member, said, channel };
}

test('each change of what we send is announced once, and said again when a new path or a rejoin asks', async () => {
  const { member, said, channel } = memberInCall();
  member.toggleMute();
  member.announceChange();
  expect(said).toEqual([{ audio: false, video: true, screen: false }]);

  member.toggleCamera();
  const screen = new FakeTrack('video', 'screen:1');
  await member.startScreenShare(screen as unknown as MediaStreamTrack);
  member.announceChange();
  expect(said).toEqual([
    { audio: false, video: true, screen: false },
    { audio: false, video: false, screen: false },
    { audio: false, video: false, screen: true },
  ]);

  // A new path (or a rejoin) has heard nothing yet: the same state goes out again, once.
  channel.tellAgain();
  member.announceChange();
  expect(said).toHaveLength(4);
  expect(said.at(-1)).toEqual({ audio: false, video: false, screen: true });
});

test("in a call whose media turns the camera on by itself (a group call: a new producer), the camera button turns it on there, not through the 1:1 call's new offer", async () => {
  const offers: string[] = [];
  const member = new LocalMember(async () => void offers.push('call.offer'));
  const said: MemberMedia[] = [];
  member.announceThrough((state) => said.push(state));
  let camera = false;
  member.attach({
    localStream: fakeStream([new FakeTrack('audio', 'mic-1')]),
    get hasVideo() {
      return camera;
    },
    setMicrophoneEnabled() {},
    setCameraEnabled() {},
    startCamera: async () => void (camera = true),
  });
  expect(member.canUseCamera.value).toBe(false);

  member.toggleCamera();
  await settle(() => member.canUseCamera.value);
  expect(offers).toEqual([]);
  expect(member.cameraOff.value).toBe(false);
  expect(said).toEqual([{ audio: true, video: true, screen: false }]);
});

test('after the call ends nothing is announced: not a click, not a rejoin, not a screen share the browser stops', async () => {
  const { member, said, channel } = memberInCall();
  const screen = new FakeTrack('video', 'screen:1');
  await member.startScreenShare(screen as unknown as MediaStreamTrack);
  const before = said.length;

  member.reset();
  member.toggleMute();
  member.toggleCamera();
  channel.tellAgain();
  screen.dispatchEvent(new Event('ended'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(said).toHaveLength(before);
  expect(member.muted.value).toBe(false);
  expect(member.sharingScreen.value).toBe(false);
  expect(screen.readyState).toBe('ended');
});

test('a mute made in the 1:1 call is still on after the call grows: the group call screen shows it, and unmuting there reaches the 1:1 connection', async () => {
  const call = await FakeOneToOneCall.start();
  // The 1:1 call's mute button turned its microphone off.
  call.member.toggleMute();
  const s = await roomClientPage('alice', {}, { oneToOneCall: call.growable });
  try {
    await s.client.invite(['carol']);
    await settle(() => s.client.view.value !== null);
    expect(s.client.member.muted.value).toBe(true);
    expect(s.client.member.cameraOff.value).toBe(false);
    expect(s.client.view.value!.tiles.find((t) => t.self)).toMatchObject({
      microphoneOn: false,
      cameraOn: true,
    });

    s.client.member.toggleMute();
    expect(s.client.member.muted.value).toBe(false);
    expect(call.asked).toEqual(['microphone:true']);
    expect(call.media.state.audio).toBe(true);
  } finally {
    s.client.onSignedOut();
  }
});

test('a screen shared in the 1:1 call is still shared after it grows, by the same member, and stopping it in the group call stops it on the 1:1 connection too', async () => {
  const call = await FakeOneToOneCall.start();
  const screen = fakeTrack('video');
  await call.member.startScreenShare(screen);
  const s = await roomClientPage('alice', {}, { oneToOneCall: call.growable });
  try {
    await s.client.invite(['carol']);
    await settle(() => s.client.view.value !== null);
    expect(s.client.member).toBe(call.member);
    expect(s.client.member.sharingScreen.value).toBe(true);
    expect(call.media.track('screen')).toBe(screen);

    await s.client.member.stopScreenShare();
    expect(s.client.member.sharingScreen.value).toBe(false);
    expect(screen.readyState).toBe('ended');
    expect(call.media.sharingScreen).toBe(false);
    // Shared over the 1:1 connection, and stopped there by the group call's button.
    expect(call.asked).toEqual([`1:1 sends screen ${screen.id}`, '1:1 sends screen undefined']);
  } finally {
    s.client.onSignedOut();
  }
});

test('a 1:1 video call whose camera failed grows with the camera button as it was: off, saying why, and sending no camera', async () => {
  const call = await FakeOneToOneCall.start('camera_denied');
  expect(call.member.cameraFailure.value).toBe('camera_denied');
  const s = await roomClientPage('alice', {}, { oneToOneCall: call.growable });
  try {
    await s.client.invite(['carol']);
    await settle(() => s.client.view.value !== null);
    expect(s.client.member.cameraFailure.value).toBe('camera_denied');
    expect(s.client.member.cameraOff.value).toBe(true);
    expect(s.client.member.canUseCamera.value).toBe(false);
    expect(s.client.member.state).toEqual({ audio: true, video: false, screen: false });
    expect(s.client.view.value!.tiles.find((t) => t.self)).toMatchObject({ cameraOn: false });
  } finally {
    s.client.onSignedOut();
  }
});

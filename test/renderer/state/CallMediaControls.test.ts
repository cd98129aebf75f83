import { CallMediaControls, type MediaEngine } from '../../../renderer/state/CallMediaControls';
import { MediaAccessError } from '../../../renderer/call/mediaErrors';
import { RemoteMember } from '../../../renderer/state/remoteMembers/RemoteMember';
import {
  FakeMediaDevices,
  FakeTrack,
  TWO_MICS_TWO_CAMERAS,
  fakeStream,
  installFakeMediaDevices,
} from '../media/fakeMediaDevices';

/**
 * RTCPeerConnection does not exist under Node, so the call's engine is a stand-in recording what
 * the controls asked of it (the browser path is in test/e2e). What the peer is told is the
 * `announce` callback, the call.media message CallController sends.
 */
class StandInEngine implements MediaEngine {
  readonly localStream: MediaStream;
  readonly microphone: boolean[] = [];
  readonly camera: boolean[] = [];
  readonly inputs: MediaStreamTrack[] = [];
  readonly screens: (MediaStreamTrack | null)[] = [];

  constructor(readonly hasVideo: boolean) {
    this.localStream = fakeStream([
      new FakeTrack('audio', 'mic-1'),
      ...(hasVideo ? [new FakeTrack('video', 'cam-1')] : []),
    ]);
  }
  setMicrophoneEnabled(enabled: boolean): void {
    this.microphone.push(enabled);
  }
  setCameraEnabled(enabled: boolean): void {
    this.camera.push(enabled);
  }
  async replaceInput(track: MediaStreamTrack): Promise<void> {
    this.inputs.push(track);
  }
  async sendScreen(track: MediaStreamTrack | null): Promise<void> {
    this.screens.push(track);
  }
}

type Announced = { audio: boolean; video: boolean };

function controlsInCall(hasVideo: boolean) {
  const announced: Announced[] = [];
  const controls = new CallMediaControls();
  const peer = controls.tellPeerThrough((state) => announced.push(state));
  const engine = new StandInEngine(hasVideo);
  controls.attach(engine);
  return { controls, engine, announced, peer };
}

test('mute turns the microphone off, says so on the button state and tells the peer; again undoes it', () => {
  const { controls, engine, announced } = controlsInCall(true);
  expect(controls.inCall).toBe(true);
  expect(controls.canUseCamera.value).toBe(true);
  expect(controls.localStream.value).toBe(engine.localStream);

  controls.toggleMute();
  expect(controls.muted.value).toBe(true);
  expect(engine.microphone).toEqual([false]);
  expect(announced).toEqual([{ audio: false, video: true }]);

  controls.toggleMute();
  expect(controls.muted.value).toBe(false);
  expect(engine.microphone).toEqual([false, true]);
  expect(announced).toEqual([
    { audio: false, video: true },
    { audio: true, video: true },
  ]);
});

test('camera off is announced with the microphone state kept, and an audio call has no camera to switch', () => {
  const video = controlsInCall(true);
  video.controls.toggleMute();
  video.controls.toggleCamera();
  expect(video.controls.cameraOff.value).toBe(true);
  expect(video.engine.camera).toEqual([false]);
  expect(video.announced.at(-1)).toEqual({ audio: false, video: false });

  const audio = controlsInCall(false);
  expect(audio.controls.canUseCamera.value).toBe(false);
  audio.controls.toggleCamera();
  expect(audio.controls.cameraOff.value).toBe(false);
  expect(audio.engine.camera).toEqual([]);
  expect(audio.announced).toEqual([]);
  // Muting in an audio call never claims video.
  audio.controls.toggleMute();
  expect(audio.announced).toEqual([{ audio: false, video: false }]);
});

test('a video call whose camera failed shows the camera off and why, and tells the peer once answered, not before', () => {
  const announced: Announced[] = [];
  const controls = new CallMediaControls();
  const peer = controls.tellPeerThrough((state) => announced.push(state));
  const engine = Object.assign(new StandInEngine(false), {
    cameraFailure: 'camera_denied' as const,
  });
  controls.attach(engine);
  expect(controls.cameraFailure.value).toBe('camera_denied');
  expect(controls.cameraOff.value).toBe(true);
  expect(controls.canUseCamera.value).toBe(false);
  expect(announced).toEqual([]);
  controls.announceMissingCamera(peer);
  expect(announced).toEqual([{ audio: true, video: false }]);
  // The camera button cannot turn on a camera there is none of.
  controls.toggleCamera();
  expect(engine.camera).toEqual([]);

  controls.reset();
  expect(controls.cameraFailure.value).toBeNull();
  // A call with its camera says nothing of one.
  const fine = controlsInCall(true);
  fine.controls.announceMissingCamera(fine.peer);
  expect(fine.announced).toEqual([]);
});

test('outside a call mute does nothing and announces nothing', () => {
  const announced: Announced[] = [];
  const controls = new CallMediaControls();
  controls.tellPeerThrough((state) => announced.push(state));
  controls.toggleMute();
  controls.toggleCamera();
  expect(controls.inCall).toBe(false);
  expect(controls.muted.value).toBe(false);
  expect(controls.cameraOff.value).toBe(false);
  expect(announced).toEqual([]);
});

test("the peer's own mute and camera state is shown, and the end of the call clears everything", () => {
  const { controls } = controlsInCall(true);
  const peer = new RemoteMember();
  controls.toggleMute();
  peer.said({ audio: false, video: true });
  expect(peer.muted.value).toBe(true);
  expect(peer.cameraOff.value).toBe(false);
  peer.said({ audio: true, video: false });
  expect(peer.muted.value).toBe(false);
  expect(peer.cameraOff.value).toBe(true);

  controls.reset();
  peer.reset();
  expect(controls.inCall).toBe(false);
  expect(controls.muted.value).toBe(false);
  expect(peer.cameraOff.value).toBe(false);
  expect(controls.localStream.value).toBeNull();
});

describe('switching the call input (navigator.mediaDevices faked on globalThis)', () => {
  let mediaDevices: FakeMediaDevices;
  let restore: () => void;

  beforeEach(() => {
    mediaDevices = new FakeMediaDevices();
    mediaDevices.devices = [...TWO_MICS_TWO_CAMERAS];
    restore = installFakeMediaDevices(mediaDevices);
  });

  afterEach(() => restore());

  test('a chosen microphone or camera is opened exactly and feeds the call; none chosen means the default', async () => {
    const { controls, engine } = controlsInCall(true);
    await controls.useInput('audio', 'mic-2');
    await controls.useInput('video', 'cam-2');
    await controls.useInput('video', undefined);
    expect(engine.inputs.map((t) => [t.kind, (t as unknown as FakeTrack).deviceId])).toEqual([
      ['audio', 'mic-2'],
      ['video', 'cam-2'],
      ['video', 'default-cam'],
    ]);
  });

  test('a device that is gone is refused and the call keeps its input', async () => {
    const { controls, engine } = controlsInCall(true);
    await expect(controls.useInput('video', 'cam-9')).rejects.toThrow('Requested device not found');
    expect(engine.inputs).toEqual([]);
  });

  test('an audio call ignores a camera switch, and a call that ended meanwhile gets nothing and leaves no camera open', async () => {
    const audio = controlsInCall(false);
    await audio.controls.useInput('video', 'cam-2');
    expect(audio.engine.inputs).toEqual([]);
    expect(mediaDevices.opened).toEqual([]);

    const video = controlsInCall(true);
    const switching = video.controls.useInput('video', 'cam-2');
    video.controls.reset();
    await switching;
    expect(video.engine.inputs).toEqual([]);
    expect(mediaDevices.opened.map((track) => track.readyState)).toEqual(['ended']);
  });
});

test('a shared screen counts as video for the peer even with the camera off, and its end restores the camera', async () => {
  const { controls, engine, announced } = controlsInCall(true);
  controls.toggleCamera();
  expect(announced.at(-1)).toEqual({ audio: true, video: false });

  const screen = new FakeTrack('video', 'screen:1');
  await controls.startScreenShare(screen as unknown as MediaStreamTrack);
  expect(controls.sharingScreen.value).toBe(true);
  expect(engine.screens).toEqual([screen]);
  expect(announced.at(-1)).toEqual({ audio: true, video: true });

  // The browser's own "stop sharing" ends the track.
  screen.dispatchEvent(new Event('ended'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(controls.sharingScreen.value).toBe(false);
  expect(engine.screens).toEqual([screen, null]);
  expect(announced.at(-1)).toEqual({ audio: true, video: false });
});

test('screen sharing in an audio call is refused with a clear error and the screen is released', async () => {
  const { controls, announced } = controlsInCall(false);
  const screen = new FakeTrack('video', 'screen:1');
  await expect(controls.startScreenShare(screen as unknown as MediaStreamTrack)).rejects.toThrow(
    'Screen sharing needs a video call',
  );
  expect(screen.readyState).toBe('ended');
  expect(controls.sharingScreen.value).toBe(false);
  expect(announced).toEqual([]);
});

test('the camera button in a call without our video turns the camera on: then it shows and the peer is told', async () => {
  const announced: Announced[] = [];
  let engine = new StandInEngine(false);
  let started = 0;
  const controls = new CallMediaControls(async () => {
    started += 1;
    engine = Object.assign(engine, { hasVideo: true });
  });
  controls.tellPeerThrough((state) => announced.push(state));
  controls.attach(engine);
  controls.toggleCamera();
  // A second click while the camera opens does not open another.
  controls.toggleCamera();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(started).toBe(1);
  expect(controls.canUseCamera.value).toBe(true);
  expect(controls.cameraOff.value).toBe(false);
  expect(announced).toEqual([{ audio: true, video: true }]);
  // From then on the button turns it off and on as in any video call.
  controls.toggleCamera();
  expect(engine.camera).toEqual([false]);
});

test('a camera that cannot be turned on says why, and the call goes on with sound', async () => {
  const announced: Announced[] = [];
  const controls = new CallMediaControls(() =>
    Promise.reject(new MediaAccessError(new DOMException('no', 'NotAllowedError'), 'camera')),
  );
  controls.tellPeerThrough((state) => announced.push(state));
  controls.attach(new StandInEngine(false));
  controls.toggleCamera();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(controls.cameraFailure.value).toBe('camera_denied');
  expect(controls.canUseCamera.value).toBe(false);
  expect(announced).toEqual([]);
});

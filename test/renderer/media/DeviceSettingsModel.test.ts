import { DevicePreferences } from '../../../renderer/media/DevicePreferences';
import { DeviceSettingsModel } from '../../../renderer/media/DeviceSettingsModel';
import { CallMediaControls, type MediaEngine } from '../../../renderer/state/CallMediaControls';
import { currentCallMedia } from '../../../renderer/state/currentCallMedia';
import {
  FakeMediaDevices,
  FakeTrack,
  TWO_MICS_TWO_CAMERAS,
  eventually,
  fakeStream,
  installFakeMediaDevices,
} from './fakeMediaDevices';
import { MapStorage } from './MapStorage';

/**
 * The model with real preferences (over a Map-backed Storage) and real CallMediaControls; the
 * browser's navigator.mediaDevices is a fake on globalThis and the call's engine a stand-in
 * (no RTCPeerConnection under Node; the browser path is in test/e2e/devices.test.ts).
 */
class StandInEngine implements MediaEngine {
  readonly hasVideo = true;
  readonly localStream: MediaStream;
  readonly inputs: FakeTrack[] = [];

  constructor(microphoneId: string, cameraId: string) {
    this.localStream = fakeStream([
      new FakeTrack('audio', microphoneId),
      new FakeTrack('video', cameraId),
    ]);
  }
  setMicrophoneEnabled(): void {}
  setCameraEnabled(): void {}
  async replaceInput(track: MediaStreamTrack): Promise<void> {
    this.inputs.push(track as unknown as FakeTrack);
  }
}

let mediaDevices: FakeMediaDevices;
let restore: () => void;
let storage: MapStorage;
let media: CallMediaControls;

beforeEach(() => {
  mediaDevices = new FakeMediaDevices();
  mediaDevices.devices = [
    ...TWO_MICS_TWO_CAMERAS,
    { deviceId: 'out-1', kind: 'audiooutput', label: 'Speakers' },
  ];
  restore = installFakeMediaDevices(mediaDevices);
  storage = new MapStorage();
  media = new CallMediaControls();
});

afterEach(() => restore());

/** A model started for this user, once its device list is loaded. */
async function startedModel(username = 'alice'): Promise<DeviceSettingsModel> {
  const model = new DeviceSettingsModel(new DevicePreferences(storage), media, {
    gatekeeper: { kind: 'browser', browser: 'chromium' },
  });
  model.start(username);
  await eventually(() => model.devices.value.length > 0, 'the device list');
  return model;
}

test('the device list is shown and a choice is kept for the account, read back after a reload and used by the next call', async () => {
  const model = await startedModel();
  expect(model.devices.value.map((device) => device.label)).toEqual([
    'Desk mic',
    'Headset mic',
    'Built-in camera',
    'USB camera',
    'Speakers',
  ]);
  expect(model.callInputs()).toEqual({ microphoneId: undefined, cameraId: undefined });

  await model.choose('camera', 'cam-2');
  await model.choose('microphone', 'mic-2');
  await model.choose('speaker', 'out-1');
  expect(model.choice.value).toEqual({ camera: 'cam-2', microphone: 'mic-2', speaker: 'out-1' });

  const reloaded = await startedModel();
  expect(reloaded.choice.value).toEqual({ camera: 'cam-2', microphone: 'mic-2', speaker: 'out-1' });
  expect(reloaded.callInputs()).toEqual({ microphoneId: 'mic-2', cameraId: 'cam-2' });
  // Another account on the same machine keeps its own (empty) choice.
  expect((await startedModel('bob')).choice.value).toEqual({});
});

test('choosing the system default forgets the stored device', async () => {
  const model = await startedModel();
  await model.choose('camera', 'cam-2');
  await model.choose('camera', undefined);
  const reloaded = await startedModel();
  expect(reloaded.choice.value).toEqual({});
  expect(reloaded.callInputs().cameraId).toBeUndefined();
});

test('a choice made during a call switches the call to that device at once', async () => {
  const engine = new StandInEngine('mic-1', 'cam-1');
  media.attach(engine);
  const model = await startedModel();

  await model.choose('camera', 'cam-2');
  await model.choose('microphone', 'mic-2');
  expect(engine.inputs.map((track) => [track.kind, track.deviceId])).toEqual([
    ['video', 'cam-2'],
    ['audio', 'mic-2'],
  ]);
});

test('the settings preview opens the chosen camera, and a chosen camera since unplugged falls back to the default', async () => {
  const model = await startedModel();
  await model.choose('camera', 'cam-2');
  // Video only: the mic meter needs Web Audio, which Node lacks.
  mediaDevices.getUserMedia = wrapVideoOnly(mediaDevices.getUserMedia.bind(mediaDevices));

  await model.openPreview();
  expect(cameraOf(model)).toBe('cam-2');

  model.closePreview();
  expect(model.previewStream.value).toBeNull();
  expect(mediaDevices.opened.every((track) => track.readyState === 'ended')).toBe(true);

  mediaDevices.devices = mediaDevices.devices.filter((device) => device.deviceId !== 'cam-2');
  await model.openPreview();
  expect(cameraOf(model)).toBe('default-cam');
  // The choice itself stays, for when the camera comes back.
  expect(model.choice.value.camera).toBe('cam-2');
  model.closePreview();
});

test('the camera in use vanishing mid-call shows a fallback notice and moves the call to the default camera', async () => {
  const engine = new StandInEngine('mic-1', 'cam-2');
  media.attach(engine);
  const model = await startedModel();
  await model.choose('camera', 'cam-2');
  engine.inputs.length = 0;

  mediaDevices.unplug('cam-2');
  await eventually(() => engine.inputs.length > 0, 'the call to switch camera');

  expect(model.notices.value).toEqual([
    {
      kind: 'fallback',
      role: 'camera',
      deviceId: 'cam-2',
      text: 'Your camera was disconnected; using the default camera',
    },
  ]);
  expect(engine.inputs.map((track) => [track.kind, track.deviceId])).toEqual([
    ['video', 'default-cam'],
  ]);
  expect(model.devices.value.some((device) => device.deviceId === 'cam-2')).toBe(false);

  // Choosing a camera again answers the notice; dismissing answers any other.
  await model.choose('camera', 'cam-1');
  expect(model.notices.value).toEqual([]);
});

test('in a group call (a grown one included) a choice and a fallback feed the group call, not the 1:1 call', async () => {
  const oneToOne = new StandInEngine('mic-1', 'cam-1');
  media.attach(oneToOne);
  const group = new CallMediaControls();
  const groupEngine = new StandInEngine('mic-1', 'cam-1');
  group.attach(groupEngine);
  let inGroupCall = true;
  const model = new DeviceSettingsModel(
    new DevicePreferences(storage),
    currentCallMedia(() => (inGroupCall ? group : media)),
    { gatekeeper: { kind: 'browser', browser: 'chromium' } },
  );
  model.start('alice');
  await eventually(() => model.devices.value.length > 0, 'the device list');

  await model.choose('camera', 'cam-2');
  await model.onTrackEnded('audio');
  expect(groupEngine.inputs.map((track) => [track.kind, track.deviceId])).toEqual([
    ['video', 'cam-2'],
    ['audio', 'default-mic'],
  ]);
  expect(oneToOne.inputs).toEqual([]);

  // The group call over, the settings drive the 1:1 call again.
  inGroupCall = false;
  await model.choose('microphone', 'mic-2');
  expect(oneToOne.inputs.map((track) => [track.kind, track.deviceId])).toEqual([
    ['audio', 'mic-2'],
  ]);
  expect(groupEngine.inputs).toHaveLength(2);
});

test('a microphone track that ends by itself falls back to the default microphone with a notice', async () => {
  const engine = new StandInEngine('mic-2', 'cam-1');
  media.attach(engine);
  const model = await startedModel();

  await model.onTrackEnded('audio');
  expect(model.notices.value.map((notice) => [notice.kind, notice.deviceId, notice.text])).toEqual([
    ['fallback', 'mic-2', 'Your microphone was disconnected; using the default microphone'],
  ]);
  expect(engine.inputs.map((track) => [track.kind, track.deviceId])).toEqual([
    ['audio', 'default-mic'],
  ]);

  model.dismissNotice(model.notices.value[0]!);
  expect(model.notices.value).toEqual([]);
});

test('a device plugged in is offered with a notice, never switched to by itself', async () => {
  const engine = new StandInEngine('mic-1', 'cam-1');
  media.attach(engine);
  const model = await startedModel();

  mediaDevices.devices = [
    ...mediaDevices.devices,
    { deviceId: 'cam-3', kind: 'videoinput', label: 'Studio camera' },
  ];
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await eventually(() => model.notices.value.length > 0, 'the new camera notice');

  expect(model.notices.value.map((notice) => [notice.kind, notice.text])).toEqual([
    ['added', 'New camera: Studio camera — use it?'],
  ]);
  expect(engine.inputs).toEqual([]);
  expect(model.choice.value).toEqual({});
});

function cameraOf(model: DeviceSettingsModel): string | undefined {
  const track = model.previewStream.value?.getVideoTracks()[0];
  return (track as unknown as FakeTrack | undefined)?.deviceId;
}

function wrapVideoOnly(
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>,
): (constraints: MediaStreamConstraints) => Promise<MediaStream> {
  return (constraints) => getUserMedia({ video: constraints.video ?? false });
}

test('a blocked camera: the preview says which input and the OS steps; Try again asks the OS, then shows the camera', async () => {
  const asked: string[] = [];
  const model = new DeviceSettingsModel(new DevicePreferences(storage), media, {
    gatekeeper: { kind: 'desktop', os: 'macos' },
    requestSystemAccess: async (input) => {
      asked.push(input);
      return { input, status: 'granted', asked: true };
    },
  });
  model.start('alice');
  await eventually(() => model.devices.value.length > 0, 'the device list');
  // Video only: the mic meter needs Web Audio, which Node lacks.
  mediaDevices.getUserMedia = wrapVideoOnly(mediaDevices.getUserMedia.bind(mediaDevices));
  mediaDevices.blocked.add('video');

  await model.openPreview();
  expect(model.previewStream.value).toBeNull();
  expect(model.previewRemedy.value).toMatchObject({
    input: 'camera',
    problem: 'denied',
    title: 'Your computer blocked Parley from using your camera.',
  });
  expect(model.previewRemedy.value?.steps[0]).toBe(
    'Open System Settings, then Privacy & Security, then Camera.',
  );

  mediaDevices.blocked.delete('video');
  await model.tryAgain();
  expect(asked).toEqual(['camera']);
  expect(model.previewRemedy.value).toBeNull();
  expect(cameraOf(model)).toBe('default-cam');
  model.closePreview();
});

test('after a call failed for a blocked microphone, Try again requests it again and the remedy goes once it opens', async () => {
  const model = await startedModel();
  mediaDevices.blocked.add('audio');
  await expect(model.recheck('microphone')).resolves.toMatchObject({
    input: 'microphone',
    problem: 'denied',
  });
  mediaDevices.blocked.delete('audio');
  await expect(model.recheck('microphone')).resolves.toBeNull();
  // The check holds nothing open.
  expect(mediaDevices.opened.every((track) => track.readyState === 'ended')).toBe(true);
});

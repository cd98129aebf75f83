import type { MediaSource } from '../../../protocol';
import { LocalMedia, type LocalKind } from '../../../renderer/call/LocalMedia';
import type { MediaPath } from '../../../renderer/call/MediaPath';
import { fakeTrack, type FakeTrack } from '../state/fakeRoomServer';

/** A path that records what it is asked to send, and when, among everything else recorded. */
function recordingPath(name: string, log: string[]): MediaPath {
  return {
    keyPort: { post() {} },
    send: async (source: MediaSource, track: MediaStreamTrack | null) =>
      void log.push(`${name} sends ${source} ${track?.id ?? 'nothing'}`),
    close() {},
  };
}

function media() {
  const log: string[] = [];
  const ended: LocalKind[] = [];
  let changes = 0;
  const microphone = fakeTrack('audio');
  const camera = fakeTrack('video');
  const local = new LocalMedia(
    { microphone, camera },
    { trackEnded: (kind) => void ended.push(kind), changed: () => void (changes += 1) },
  );
  return { local, log, ended, microphone, camera, changes: () => changes };
}

/** Records when a track is stopped, in the same log as the paths' sends. */
function stoppedInto(track: FakeTrack, log: string[]): FakeTrack {
  const stop = track.stop.bind(track);
  track.stop = () => {
    log.push(`${track.id} stopped`);
    stop();
  };
  return track;
}

test('a new path is sent everything at once; a mute changes the track, and says so, without resending', async () => {
  const { local, log, microphone, camera, changes } = media();
  await local.sendTo(recordingPath('sfu', log));
  expect(log).toEqual([`sfu sends microphone ${microphone.id}`, `sfu sends camera ${camera.id}`]);

  local.setMicrophoneEnabled(false);
  expect(microphone.enabled).toBe(false);
  expect(local.state).toEqual({ audio: false, video: true, screen: false });
  expect(changes()).toBe(1);
  // The same again is no change.
  local.setMicrophoneEnabled(false);
  expect(changes()).toBe(1);
  expect(log).toHaveLength(2);
});

test('another microphone goes out on every path before the old one stops, muted as it was', async () => {
  const { local, log, microphone } = media();
  local.attach(recordingPath('p2p', log));
  await local.sendTo(recordingPath('sfu', log));
  log.length = 0;
  stoppedInto(microphone, log);
  local.setMicrophoneEnabled(false);

  const next = fakeTrack('audio');
  await local.replaceInput(next);
  expect(log).toEqual([
    `p2p sends microphone ${next.id}`,
    `sfu sends microphone ${next.id}`,
    `${microphone.id} stopped`,
  ]);
  expect(next.enabled).toBe(false);
  expect(local.track('microphone')).toBe(next);
});

test('a shared screen goes to every path as the screen source, and ending it stops it', async () => {
  const { local, log } = media();
  local.attach(recordingPath('p2p', log));
  await local.sendTo(recordingPath('sfu', log));
  log.length = 0;
  const screen = stoppedInto(fakeTrack('video'), log);

  await local.shareScreen(screen);
  expect(log).toEqual([`p2p sends screen ${screen.id}`, `sfu sends screen ${screen.id}`]);
  expect(local.state.screen).toBe(true);

  log.length = 0;
  await local.shareScreen(null);
  expect(log).toEqual([
    'p2p sends screen nothing',
    'sfu sends screen nothing',
    `${screen.id} stopped`,
  ]);
  expect(local.sharingScreen).toBe(false);
});

test('a path detached (closed or replaced) is sent nothing more; the others go on', async () => {
  const { local, log } = media();
  const old = recordingPath('old', log);
  local.attach(old);
  await local.sendTo(recordingPath('sfu', log));
  local.detach(old);
  log.length = 0;
  const camera = fakeTrack('video');
  await local.replaceInput(camera);
  expect(log).toEqual([`sfu sends camera ${camera.id}`]);
});

test('an unplugged input is heard by whoever listens now (the group call a call grew into)', () => {
  const { local, ended, microphone, camera } = media();
  const heardByGroup: LocalKind[] = [];
  local.listen({ trackEnded: (kind) => void heardByGroup.push(kind), changed() {} });
  microphone.unplug();
  expect(heardByGroup).toEqual(['audio']);
  expect(ended).toEqual([]);
  // Closed: an input that ends then is no news.
  local.close();
  camera.unplug();
  expect(heardByGroup).toEqual(['audio']);
});

test('closing stops every track; tracks given afterwards are stopped at once and sent nowhere', async () => {
  const { local, log, microphone, camera } = media();
  await local.sendTo(recordingPath('sfu', log));
  local.close();
  expect(microphone.readyState).toBe('ended');
  expect(camera.readyState).toBe('ended');
  log.length = 0;
  const late = fakeTrack('audio');
  await local.replaceInput(late);
  expect(late.readyState).toBe('ended');
  const opened = fakeTrack('video');
  local.take({ microphone: null, camera: opened });
  expect(opened.readyState).toBe('ended');
  await expect(local.shareScreen(fakeTrack('video'))).rejects.toThrow();
  expect(log).toEqual([]);
});

test('a camera turned on in a call that had none goes out on every path, a path made later too, and is stopped if it opens after the call ended', async () => {
  const log: string[] = [];
  const ended: LocalKind[] = [];
  let changes = 0;
  const local = new LocalMedia(
    { microphone: fakeTrack('audio'), camera: null },
    { trackEnded: (kind) => void ended.push(kind), changed: () => void (changes += 1) },
  );
  local.attach(recordingPath('p2p', log));
  await local.sendTo(recordingPath('sfu', log));
  log.length = 0;
  expect(local.state.video).toBe(false);

  const camera = fakeTrack('video');
  await local.sendCamera(camera);
  expect(log).toEqual([`p2p sends camera ${camera.id}`, `sfu sends camera ${camera.id}`]);
  expect(local.hasVideo).toBe(true);
  expect(local.state).toEqual({ audio: true, video: true, screen: false });
  expect(changes).toBe(1);
  camera.unplug();
  expect(ended).toEqual(['video']);

  log.length = 0;
  await local.sendTo(recordingPath('next', log));
  expect(log).toContain(`next sends camera ${camera.id}`);

  local.close();
  const late = fakeTrack('video');
  await expect(local.sendCamera(late)).rejects.toThrow();
  expect(late.readyState).toBe('ended');
});

import type { CallFailure, CallMedia, MediaSource } from '../../protocol';
import { AudioMixer, audioSenderSource } from './AudioMixer';
import type { MediaPath } from './MediaPath';
import { MediaAccessError } from './mediaErrors';

export type LocalKind = 'audio' | 'video';

/** Which input devices to open; undefined means the system default. */
export interface MediaInputChoice {
  microphoneId?: string | undefined;
  cameraId?: string | undefined;
}

const cameraSize = { width: { ideal: 1280 }, height: { ideal: 720 } };

/** getUserMedia constraints for one kind of input: exactly this device, or the default. */
export function inputConstraints(
  kind: LocalKind,
  deviceId: string | undefined,
): MediaTrackConstraints {
  const base = kind === 'video' ? { ...cameraSize } : {};
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

/**
 * Opens the chosen devices; when one of them is gone (unplugged since it was chosen) it opens
 * the defaults instead, so a stale choice never stops a call or a preview.
 */
export async function openChosenInputs(
  audio: boolean,
  video: boolean,
  inputs: MediaInputChoice,
): Promise<MediaStream> {
  const constraints = (useChoice: boolean): MediaStreamConstraints => ({
    audio: audio && inputConstraints('audio', useChoice ? inputs.microphoneId : undefined),
    video: video && inputConstraints('video', useChoice ? inputs.cameraId : undefined),
  });
  try {
    return await navigator.mediaDevices.getUserMedia(constraints(true));
  } catch (error) {
    const name = error instanceof Error || error instanceof DOMException ? error.name : '';
    const chose = (audio && inputs.microphoneId) || (video && inputs.cameraId);
    if (!chose || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw error;
    return navigator.mediaDevices.getUserMedia(constraints(false));
  }
}

/** Why a video call goes ahead without the camera: refused by the browser or OS, or not there. */
export type CameraFailure = Extract<CallFailure, 'camera_denied' | 'camera_unavailable'>;

/**
 * Opens a call's microphone (and camera for video). When that fails it finds which input failed:
 * the microphone (if it fails on its own too) stops the call, with the reason the peer is told;
 * a camera that fails leaves a video call with sound only, and says why.
 */
async function openCallInputs(
  video: boolean,
  inputs: MediaInputChoice,
): Promise<{ stream: MediaStream; cameraFailure: CameraFailure | null }> {
  try {
    return { stream: await openChosenInputs(true, video, inputs), cameraFailure: null };
  } catch (error) {
    if (!video) throw new MediaAccessError(error, 'microphone');
    let microphone: MediaStream;
    try {
      microphone = await openChosenInputs(true, false, inputs);
    } catch (microphoneError) {
      throw new MediaAccessError(microphoneError, 'microphone');
    }
    const camera = new MediaAccessError(error, 'camera').failure as CameraFailure;
    return { stream: microphone, cameraFailure: camera };
  }
}

/**
 * Opens the chosen camera (or the default, if the chosen one is gone) for a call that had none:
 * an audio call's, or a video call's whose camera failed. Throws MediaAccessError.
 */
export async function openCamera(inputs: MediaInputChoice): Promise<MediaStreamTrack> {
  let opened: MediaStream;
  try {
    opened = await openChosenInputs(false, true, inputs);
  } catch (error) {
    throw new MediaAccessError(error, 'camera');
  }
  const [track] = opened.getVideoTracks();
  if (!track) throw new Error('no video track from the camera');
  return track;
}

/** Our microphone and camera in a call (null: none of that kind). */
export interface LocalTracks {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
}

/** What we send, as the others are told it: microphone on, camera on, a screen shared. */
export interface LocalSending {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export interface LocalMediaEvents {
  /** A camera or microphone track ended by itself (device unplugged). */
  trackEnded(kind: LocalKind): void;
  /** What we send changed: a mute, the camera, a screen, another device. */
  changed(): void;
}

const SOURCES: MediaSource[] = ['microphone', 'camera', 'screen'];

/**
 * One call's local media, whatever path carries it: the camera and microphone, a shared screen
 * and the audio mix that carries the screen's sound. It outlives paths (an ICE failure or a
 * rejoin makes a new peer connection, a call of two that grows moves to the SFU, the SFU path is
 * made again), and it is what each path is given: every change goes to every path sending it,
 * and each path decides how (MediaPath). A call that grows keeps this same object, so a mute or a
 * device change is made once.
 */
export class LocalMedia {
  private readonly tracks: LocalTracks;
  /** A shared screen (from getDisplayMedia), while sharing. */
  private screen: MediaStreamTrack | null = null;
  /** Microphone plus the shared screen's audio, sent in place of the microphone while sharing. */
  private audioMix: AudioMixer | null = null;
  private readonly paths = new Set<MediaPath>();
  private selfView: MediaStream | null = null;
  private closed = false;
  /** A video call whose camera could not be opened goes ahead with sound only; this says why. */
  cameraFailure: CameraFailure | null = null;

  constructor(
    tracks: LocalTracks,
    private events: LocalMediaEvents,
  ) {
    this.tracks = { ...tracks };
    for (const track of inputsOf(tracks)) this.watchEnded(track);
  }

  /** Opens the camera and microphone (microphone only for audio calls). */
  static async open(
    media: CallMedia,
    inputs: MediaInputChoice,
    events: LocalMediaEvents,
  ): Promise<LocalMedia> {
    const { stream, cameraFailure } = await openCallInputs(media === 'video', inputs);
    const local = new LocalMedia(tracksOf(stream), events);
    local.cameraFailure = cameraFailure;
    return local;
  }

  /**
   * No devices open yet: a call that connects while it rings opens them only when its user
   * accepts (`fill`); a group call once it has a path (`take`).
   */
  static empty(events: LocalMediaEvents): LocalMedia {
    return new LocalMedia({ microphone: null, camera: null }, events);
  }

  /** From now on `events` hear of this media (the group call a call of two grew into). */
  listen(events: LocalMediaEvents): void {
    this.events = events;
  }

  /** Opens the camera and microphone of an `empty` call's media, now that it is answered. */
  async fill(media: CallMedia, inputs: MediaInputChoice): Promise<void> {
    const { stream, cameraFailure } = await openCallInputs(media === 'video', inputs);
    this.cameraFailure = cameraFailure;
    this.take(tracksOf(stream));
  }

  /** Makes opened tracks the call's inputs, before they are sent anywhere (stopped if over). */
  take(tracks: LocalTracks): void {
    for (const track of inputsOf(tracks)) {
      const source = inputSourceOf(track);
      if (this.closed || this.tracks[source]) {
        track.stop();
        continue;
      }
      this.tracks[source] = track;
      this.selfView?.addTrack(track);
      this.watchEnded(track);
    }
    this.events.changed();
  }

  /**
   * Turns a call without our camera into a video call with this camera (a track this now owns),
   * sent on every path at once: through the SFU it is a producer of its own. A peer-to-peer
   * connection that sends no video has no sender for it; only its new offer adds one
   * (CallEngine.startVideo).
   */
  async sendCamera(track: MediaStreamTrack): Promise<void> {
    this.takeCamera(track);
    await this.sendEverywhere('camera');
  }

  private takeCamera(track: MediaStreamTrack): void {
    if (this.closed) {
      track.stop();
      throw new Error('the call ended while the camera opened');
    }
    this.tracks.camera = track;
    this.selfView?.addTrack(track);
    this.watchEnded(track);
    this.cameraFailure = null;
    this.events.changed();
  }

  /** Our camera and microphone as one stream (the self view; a peer connection's stream id). */
  get stream(): MediaStream {
    this.selfView ??= new MediaStream(inputsOf(this.tracks));
    return this.selfView;
  }

  /** The input behind a source: the microphone, the camera or the shared screen. */
  track(source: MediaSource): MediaStreamTrack | null {
    return source === 'screen' ? this.screen : this.tracks[source];
  }

  /** What goes out as a source: the microphone's place carries the mix while there is one. */
  sending(source: MediaSource): MediaStreamTrack | null {
    if (source === 'microphone') return this.audioMix?.track ?? this.tracks.microphone;
    return this.track(source);
  }

  get state(): LocalSending {
    const { microphone, camera } = this.tracks;
    return {
      audio: microphone?.enabled ?? false,
      video: camera?.enabled ?? false,
      screen: this.screen !== null,
    };
  }

  /** Whether a microphone or camera is open (an `empty` call's media has none until filled). */
  get hasInputs(): boolean {
    return inputsOf(this.tracks).length > 0;
  }

  get hasVideo(): boolean {
    return this.tracks.camera !== null;
  }

  get sharingScreen(): boolean {
    return this.screen !== null;
  }

  /** A path that took what we send by itself (a peer connection adds its tracks): changes follow. */
  attach(path: MediaPath): void {
    if (!this.closed) this.paths.add(path);
  }

  /** A new path sends everything we send now, and every change from now on. */
  async sendTo(path: MediaPath): Promise<void> {
    this.attach(path);
    for (const source of SOURCES) {
      const track = this.sending(source);
      if (track && this.paths.has(path)) await path.send(source, track);
    }
  }

  /** The path is gone (closed, or replaced): nothing goes to it any more. */
  detach(path: MediaPath): void {
    this.paths.delete(path);
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.setEnabled(this.tracks.microphone, enabled);
  }

  setCameraEnabled(enabled: boolean): void {
    this.setEnabled(this.tracks.camera, enabled);
  }

  /**
   * Feeds the call from another microphone or camera (a track this now owns), muted or off as the
   * one it replaces. Every path sends it before the old one stops, so the others hear no gap; each
   * sender keeps its SFrame transform because only its track changes, never the sender itself.
   */
  async replaceInput(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    const source = inputSourceOf(track);
    const previous = this.tracks[source];
    track.enabled = previous?.enabled ?? true;
    this.tracks[source] = track;
    this.watchEnded(track);
    if (previous) this.selfView?.removeTrack(previous);
    this.selfView?.addTrack(track);
    if (source === 'microphone' && this.audioMix) this.audioMix.useMicrophone(track);
    else await this.sendEverywhere(source);
    previous?.stop();
    this.events.changed();
  }

  /**
   * Shares a screen (a getDisplayMedia track, which this now owns) and its audio (if any) mixed
   * with the microphone; null ends the share: the screen and its audio stop.
   */
  async shareScreen(
    track: MediaStreamTrack | null,
    audio: MediaStreamTrack | null = null,
  ): Promise<void> {
    if (this.closed) {
      track?.stop();
      audio?.stop();
      throw new Error('the call is over');
    }
    const previous = this.screen;
    this.screen = track;
    await this.sendEverywhere('screen');
    await this.mixIn(track === null ? null : audio);
    if (previous !== track) previous?.stop();
    this.events.changed();
  }

  /** Stops the camera, microphone, screen and mix; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.paths.clear();
    for (const track of [...inputsOf(this.tracks), this.screen]) track?.stop();
    this.audioMix?.close();
  }

  /** The screen's audio mixed in, or (null) the plain microphone again. */
  private async mixIn(displayAudio: MediaStreamTrack | null): Promise<void> {
    const previousMix = this.audioMix;
    const source = audioSenderSource({
      sharingScreen: this.screen !== null,
      displayAudio: displayAudio !== null,
    });
    this.audioMix =
      source === 'mix' && displayAudio
        ? new AudioMixer(this.tracks.microphone, displayAudio)
        : null;
    if (this.audioMix || previousMix) await this.sendEverywhere('microphone');
    previousMix?.close();
  }

  private async sendEverywhere(source: MediaSource): Promise<void> {
    const track = this.sending(source);
    await Promise.all([...this.paths].map((path) => path.send(source, track)));
  }

  private setEnabled(track: MediaStreamTrack | null, enabled: boolean): void {
    if (!track || track.enabled === enabled) return;
    track.enabled = enabled;
    this.events.changed();
  }

  private watchEnded(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      if (this.closed || this.tracks[inputSourceOf(track)] !== track) return;
      this.events.trackEnded(track.kind === 'audio' ? 'audio' : 'video');
    });
  }
}

function tracksOf(stream: MediaStream): LocalTracks {
  return {
    microphone: stream.getAudioTracks()[0] ?? null,
    camera: stream.getVideoTracks()[0] ?? null,
  };
}

function inputsOf(tracks: LocalTracks): MediaStreamTrack[] {
  return [tracks.microphone, tracks.camera].filter((t): t is MediaStreamTrack => t !== null);
}

function inputSourceOf(track: MediaStreamTrack): 'microphone' | 'camera' {
  return track.kind === 'audio' ? 'microphone' : 'camera';
}

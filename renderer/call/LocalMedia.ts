import type { CallFailure, CallMedia } from '../../protocol';
import { AudioMixer, audioSenderSource } from './AudioMixer';
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

/** Where the outgoing tracks go: the senders of the call's current peer connection. */
export interface OutgoingSenders {
  replaceTrack(kind: LocalKind, track: MediaStreamTrack | null): Promise<void>;
}

/**
 * One call's local media: the camera and microphone, a screen shared in place of the camera and
 * the audio mix that carries the screen's sound. It outlives peer connections (an ICE failure or
 * a rejoin builds a new one with the same tracks), so it decides what each kind sends and tells
 * the current connection's senders when that changes.
 */
export class LocalMedia {
  /** A screen track sent in place of the camera, while sharing. */
  private screenTrack: MediaStreamTrack | null = null;
  /** Microphone plus the shared screen's audio, sent in place of the microphone while sharing. */
  private audioMix: AudioMixer | null = null;
  private senders: OutgoingSenders | null = null;
  private closed = false;
  /** A video call whose camera could not be opened goes ahead with sound only; this says why. */
  cameraFailure: CameraFailure | null = null;

  constructor(
    readonly stream: MediaStream,
    private readonly onTrackEnded: (kind: LocalKind) => void,
  ) {
    for (const track of stream.getTracks()) this.watchEnded(track);
  }

  /** Opens the camera and microphone (microphone only for audio calls). */
  static async open(
    media: CallMedia,
    inputs: MediaInputChoice,
    onTrackEnded: (kind: LocalKind) => void,
  ): Promise<LocalMedia> {
    const { stream, cameraFailure } = await openCallInputs(media === 'video', inputs);
    const local = new LocalMedia(stream, onTrackEnded);
    local.cameraFailure = cameraFailure;
    return local;
  }

  /**
   * No devices open yet: a call that connects while it rings opens them only when its user
   * accepts (`fill`).
   */
  static empty(onTrackEnded: (kind: LocalKind) => void): LocalMedia {
    return new LocalMedia(new MediaStream(), onTrackEnded);
  }

  /** Opens the camera and microphone of an `empty` call's media, now that it is answered. */
  async fill(media: CallMedia, inputs: MediaInputChoice): Promise<void> {
    const { stream: opened, cameraFailure } = await openCallInputs(media === 'video', inputs);
    this.cameraFailure = cameraFailure;
    for (const track of opened.getTracks()) {
      if (this.closed) {
        track.stop();
        continue;
      }
      this.stream.addTrack(track);
      this.watchEnded(track);
    }
  }

  /**
   * Turns a call without our camera into a video call: opens the camera (the chosen one, or the
   * default) and returns its track, which the connection then sends. Throws MediaAccessError.
   */
  async addCamera(inputs: MediaInputChoice): Promise<MediaStreamTrack> {
    let opened: MediaStream;
    try {
      opened = await openChosenInputs(false, true, inputs);
    } catch (error) {
      throw new MediaAccessError(error, 'camera');
    }
    const [track] = opened.getVideoTracks();
    if (!track || this.closed) {
      track?.stop();
      throw new Error('the call ended while the camera opened');
    }
    this.stream.addTrack(track);
    this.watchEnded(track);
    this.cameraFailure = null;
    return track;
  }

  /** The kinds this call sends, one sender each. */
  get kinds(): LocalKind[] {
    return this.stream.getTracks().map((track) => kindOf(track));
  }

  /** What a sender of this kind sends now: the screen or the camera, the mix or the microphone. */
  outgoing(kind: LocalKind): MediaStreamTrack | null {
    if (kind === 'video') return this.screenTrack ?? this.stream.getVideoTracks()[0] ?? null;
    return this.audioMix?.track ?? this.stream.getAudioTracks()[0] ?? null;
  }

  /** From now on track changes go to these senders (a new peer connection's). */
  sendTo(senders: OutgoingSenders | null): void {
    this.senders = senders;
  }

  get hasVideo(): boolean {
    return this.stream.getVideoTracks().length > 0;
  }

  get sharingScreen(): boolean {
    return this.screenTrack !== null;
  }

  setMicrophoneEnabled(enabled: boolean): void {
    for (const track of this.stream.getAudioTracks()) track.enabled = enabled;
  }

  setCameraEnabled(enabled: boolean): void {
    for (const track of this.stream.getVideoTracks()) track.enabled = enabled;
  }

  /**
   * Swaps the microphone or camera for another device's track. The sender keeps its SFrame
   * transform because only its track changes (replaceTrack), never the sender itself.
   */
  async replaceInput(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    const kind = kindOf(track);
    const old = kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    track.enabled = old[0]?.enabled ?? true;
    if (kind === 'audio' && this.audioMix) this.audioMix.useMicrophone(track);
    else if (!(kind === 'video' && this.screenTrack)) await this.senders?.replaceTrack(kind, track);
    for (const previous of old) {
      this.stream.removeTrack(previous);
      previous.stop();
    }
    this.stream.addTrack(track);
    this.watchEnded(track);
  }

  /**
   * Sends a screen track in place of the camera, and its audio (if any) mixed with the
   * microphone; null goes back to the camera and the plain microphone. This stops the screen's
   * audio track when the share ends; the screen track stays its caller's.
   */
  async sendScreen(
    track: MediaStreamTrack | null,
    audio: MediaStreamTrack | null = null,
  ): Promise<void> {
    if (!this.hasVideo || this.closed) {
      audio?.stop();
      throw new Error('this call sends no video');
    }
    this.screenTrack = track;
    await this.senders?.replaceTrack('video', this.outgoing('video'));
    await this.sendAudio(track === null ? null : audio);
  }

  /** Stops the camera, microphone, screen and mix; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.senders = null;
    for (const track of this.stream.getTracks()) track.stop();
    this.screenTrack?.stop();
    this.audioMix?.close();
  }

  /** The screen's audio mixed in, or (null) the plain microphone again. */
  private async sendAudio(displayAudio: MediaStreamTrack | null): Promise<void> {
    const microphone = this.stream.getAudioTracks()[0] ?? null;
    const previousMix = this.audioMix;
    const source = audioSenderSource({
      sharingScreen: this.screenTrack !== null,
      displayAudio: displayAudio !== null,
    });
    this.audioMix =
      source === 'mix' && displayAudio ? new AudioMixer(microphone, displayAudio) : null;
    await this.senders?.replaceTrack('audio', this.outgoing('audio'));
    previousMix?.close();
  }

  private watchEnded(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      if (this.closed || !this.stream.getTracks().includes(track)) return;
      this.onTrackEnded(kindOf(track));
    });
  }
}

function kindOf(track: MediaStreamTrack): LocalKind {
  return track.kind === 'audio' ? 'audio' : 'video';
}

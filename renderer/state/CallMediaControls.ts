import { signal } from '@preact/signals';
import type { CallEngine } from '../call/CallEngine';
import type { CameraFailure } from '../call/LocalMedia';
import { inputConstraints } from '../call/LocalMedia';
import { MediaAccessError } from '../call/mediaErrors';

/** The slice of the engine the media controls drive (the unit tests pass a stand-in). */
export type MediaEngine = Pick<
  CallEngine,
  'localStream' | 'hasVideo' | 'setMicrophoneEnabled' | 'setCameraEnabled'
> &
  Partial<Pick<CallEngine, 'replaceInput' | 'sendScreen' | 'cameraFailure'>>;

/** Starts our camera in a call that has none from us yet (see CallController). */
export type StartVideo = () => Promise<void>;

/**
 * Our side of the current call's media: mute, camera, which device feeds the call and whether
 * the screen is shared. Split from CallController, which owns the call's life; this owns what
 * flows in it (what the peer says of its own is its RemoteMember's).
 */
export class CallMediaControls {
  readonly localStream = signal<MediaStream | null>(null);
  readonly muted = signal(false);
  readonly cameraOff = signal(false);
  readonly canUseCamera = signal(false);
  /** Why this video call goes without our camera: the camera button says it. */
  readonly cameraFailure = signal<CameraFailure | null>(null);
  readonly sharingScreen = signal(false);
  private engine: MediaEngine | null = null;
  private screenTrack: MediaStreamTrack | null = null;

  private startingVideo = false;

  /**
   * `announce` tells the peer our microphone and camera state (call.media); `startVideo` turns
   * an audio call (or one answered with sound only) into video on our side.
   */
  constructor(
    private readonly announce: (state: { audio: boolean; video: boolean }) => void,
    private readonly startVideo: StartVideo = () => Promise.reject(new Error('no video here')),
  ) {}

  attach(engine: MediaEngine): void {
    this.engine = engine;
    this.localStream.value = engine.localStream;
    this.canUseCamera.value = engine.hasVideo;
    this.cameraFailure.value = engine.cameraFailure ?? null;
    if (this.cameraFailure.value) this.cameraOff.value = true;
  }

  /**
   * Once the call is answered: a camera that could not be opened shows to the peer as a camera
   * that is off (the call goes ahead with sound).
   */
  announceMissingCamera(): void {
    if (this.cameraFailure.value) this.tellPeer();
  }

  get inCall(): boolean {
    return this.engine !== null;
  }

  toggleMute(): void {
    if (!this.engine) return;
    this.muted.value = !this.muted.value;
    this.engine.setMicrophoneEnabled(!this.muted.value);
    this.tellPeer();
  }

  toggleCamera(): void {
    if (!this.engine || this.startingVideo) return;
    if (!this.engine.hasVideo) {
      void this.turnOnVideo();
      return;
    }
    this.cameraOff.value = !this.cameraOff.value;
    this.engine.setCameraEnabled(!this.cameraOff.value);
    this.tellPeer();
  }

  /** The camera in a call without one: the peer then simply sees us (as in Signal). */
  private async turnOnVideo(): Promise<void> {
    if (this.startingVideo) return;
    this.startingVideo = true;
    try {
      await this.startVideo();
      if (!this.engine?.hasVideo) return;
      this.canUseCamera.value = true;
      this.cameraOff.value = false;
      this.cameraFailure.value = null;
      this.tellPeer();
    } catch (error) {
      console.warn('parley: the camera could not be turned on', error);
      if (error instanceof MediaAccessError && error.input === 'camera') {
        this.cameraFailure.value = error.failure as CameraFailure;
      }
    } finally {
      this.startingVideo = false;
    }
  }

  /**
   * Feeds the call from another microphone or camera (undefined: the system default). A camera
   * switch in an audio call does nothing: its offer has nowhere to send video.
   */
  async useInput(kind: 'audio' | 'video', deviceId: string | undefined): Promise<void> {
    const engine = this.engine;
    if (!engine?.replaceInput || (kind === 'video' && !engine.hasVideo)) return;
    const stream = await navigator.mediaDevices.getUserMedia(
      kind === 'audio'
        ? { audio: inputConstraints('audio', deviceId) }
        : { video: inputConstraints('video', deviceId) },
    );
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (!track) throw new Error(`no ${kind} track from the chosen device`);
    if (this.engine !== engine) {
      track.stop();
      return;
    }
    await engine.replaceInput(track);
  }

  /**
   * Sends this screen track in place of the camera, with the screen's audio (if the browser gave
   * any) mixed into ours; the track's own end (browser stop) restores the camera.
   */
  async startScreenShare(
    track: MediaStreamTrack,
    audio: MediaStreamTrack | null = null,
  ): Promise<void> {
    const engine = this.engine;
    if (!engine?.sendScreen || !engine.hasVideo) {
      track.stop();
      audio?.stop();
      throw new Error('Screen sharing needs a video call');
    }
    const previous = this.screenTrack;
    this.screenTrack = track;
    track.addEventListener('ended', () => {
      if (this.screenTrack === track) void this.stopScreenShare();
    });
    await engine.sendScreen(track, audio);
    previous?.stop();
    this.sharingScreen.value = true;
    // The peer sees the screen as our video, so it must not hide it as "camera off".
    this.tellPeer();
  }

  async stopScreenShare(): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    this.sharingScreen.value = false;
    track.stop();
    if (this.engine?.sendScreen) await this.engine.sendScreen(null);
    this.tellPeer();
  }

  reset(): void {
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.engine = null;
    this.localStream.value = null;
    this.muted.value = false;
    this.cameraOff.value = false;
    this.canUseCamera.value = false;
    this.cameraFailure.value = null;
    this.sharingScreen.value = false;
  }

  /** Tells the peer our microphone and camera state (again, after a rejoin). */
  tellPeer(): void {
    if (!this.engine) return;
    this.announce({
      audio: !this.muted.value,
      video: this.engine.hasVideo && (!this.cameraOff.value || this.sharingScreen.value),
    });
  }
}

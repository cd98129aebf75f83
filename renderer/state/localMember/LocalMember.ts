import { signal } from '@preact/signals';
import type { CallEngine } from '../../call/CallEngine';
import type { CameraFailure } from '../../call/LocalMedia';
import { inputConstraints } from '../../call/LocalMedia';
import { MediaAccessError } from '../../call/mediaErrors';
import type { MemberMedia } from '../roomCallState';
import { MemberAnnouncement } from './MemberAnnouncement';

/**
 * What our side of a call drives: the 1:1 call's engine, or the group call's media (the unit tests
 * pass a stand-in).
 */
export type MemberEngine = Pick<
  CallEngine,
  'localStream' | 'hasVideo' | 'setMicrophoneEnabled' | 'setCameraEnabled'
> &
  Partial<Pick<CallEngine, 'replaceInput' | 'sendScreen' | 'cameraFailure'>> & {
    /**
     * Opens our camera and sends it, in a call whose media does that by itself (the group call's:
     * a new producer); without it, the member's StartVideo does (the 1:1 call's new offer).
     * Throws MediaAccessError when the camera cannot open.
     */
    startCamera?: () => Promise<void>;
  };

/** Starts our camera in a call that has none from us yet (see CallController). */
export type StartVideo = () => Promise<void>;

/** Opens one microphone or camera (undefined: the system default) for the call to use. */
export type OpenInput = (
  kind: 'audio' | 'video',
  deviceId: string | undefined,
) => Promise<MediaStreamTrack>;

/** The browser's OpenInput: getUserMedia for that one device. */
export async function openInputDevice(
  kind: 'audio' | 'video',
  deviceId: string | undefined,
): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia(
    kind === 'audio'
      ? { audio: inputConstraints('audio', deviceId) }
      : { video: inputConstraints('video', deviceId) },
  );
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (!track) throw new Error(`no ${kind} track from the chosen device`);
  return track;
}

/** One way the others hear what we send (call.media to the peer, room.media to the group). */
export interface MemberChannel {
  /** Tells what we send now, even unchanged (a new path, a rejoin: they may have missed it). */
  tellAgain(): void;
  /** Nothing more goes this way (the connection it speaks for closed). */
  end(): void;
}

/** Where our switches start in a call: as they were (a grown call, a rejoin), else all on. */
export interface MemberSwitches {
  muted: boolean;
  cameraOff: boolean;
}

/**
 * Our side of a call, whichever kind it is: mute, camera, which device feeds the call and whether
 * the screen is shared, as the call screen shows them, and what we send as the others are told it
 * (MemberMedia, through each channel: each change once, nothing after the call). A 1:1 call that
 * grows hands its member on whole: the group call attaches it to its own media and adds its
 * channel, so one object holds our switches before and after the growth.
 */
export class LocalMember {
  readonly localStream = signal<MediaStream | null>(null);
  readonly muted = signal(false);
  readonly cameraOff = signal(false);
  readonly canUseCamera = signal(false);
  /** Why this video call goes without our camera: the camera button says it. */
  readonly cameraFailure = signal<CameraFailure | null>(null);
  readonly sharingScreen = signal(false);
  private engine: MemberEngine | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private readonly channels = new Set<MemberAnnouncement>();
  private startingVideo = false;

  /**
   * `startVideo` turns an audio call (or one answered with sound only) into video on our side;
   * `openInput` opens a device chosen mid-call.
   */
  constructor(
    private readonly startVideo: StartVideo = () => Promise.reject(new Error('no video here')),
    private readonly openInput: OpenInput = openInputDevice,
  ) {}

  /** A call starts (or goes on, `switches` as they were): our media is `engine`'s. */
  attach(engine: MemberEngine, switches?: MemberSwitches): void {
    this.engine = engine;
    this.localStream.value = engine.localStream;
    this.canUseCamera.value = engine.hasVideo;
    this.cameraFailure.value = engine.cameraFailure ?? null;
    if (switches) {
      this.muted.value = switches.muted;
      this.cameraOff.value = switches.cameraOff;
    }
    if (this.cameraFailure.value) this.cameraOff.value = true;
  }

  get inCall(): boolean {
    return this.engine !== null;
  }

  /** What we send now, as the others are told it. */
  get state(): MemberMedia {
    const video = this.engine?.hasVideo ?? false;
    return {
      audio: !this.muted.value,
      video: video && !this.cameraOff.value,
      screen: this.sharingScreen.value,
    };
  }

  /**
   * From now on what we send is told through `send` too, each change once, until the channel ends
   * or the call is over.
   */
  announceThrough(send: (state: MemberMedia) => void): MemberChannel {
    const announcement = new MemberAnnouncement(send);
    this.channels.add(announcement);
    return {
      tellAgain: () => {
        announcement.again();
        if (this.engine) announcement.say(this.state);
      },
      end: () => {
        announcement.end();
        this.channels.delete(announcement);
      },
    };
  }

  toggleMute(): void {
    if (!this.engine) return;
    this.muted.value = !this.muted.value;
    this.engine.setMicrophoneEnabled(!this.muted.value);
    this.announceChange();
  }

  toggleCamera(): void {
    if (!this.engine || this.startingVideo) return;
    if (!this.engine.hasVideo) {
      void this.turnOnVideo();
      return;
    }
    this.cameraOff.value = !this.cameraOff.value;
    this.engine.setCameraEnabled(!this.cameraOff.value);
    this.announceChange();
  }

  /** The camera in a call without one: the others then simply see us (as in Signal). */
  private async turnOnVideo(): Promise<void> {
    if (this.startingVideo) return;
    this.startingVideo = true;
    try {
      if (this.engine?.startCamera) await this.engine.startCamera();
      else await this.startVideo();
      if (!this.engine?.hasVideo) return;
      this.canUseCamera.value = true;
      this.cameraOff.value = false;
      this.cameraFailure.value = null;
      this.announceChange();
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
    const track = await this.openInput(kind, deviceId);
    if (this.engine !== engine) {
      track.stop();
      return;
    }
    await engine.replaceInput(track);
  }

  /**
   * Sends this screen track (with the screen's audio, if the browser gave any, mixed into ours);
   * the track's own end (browser stop) ends the share.
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
    this.announceChange();
  }

  async stopScreenShare(): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    this.sharingScreen.value = false;
    track.stop();
    if (this.engine?.sendScreen) await this.engine.sendScreen(null);
    this.announceChange();
  }

  /** The call is over: the switches go back to their start, and nothing more is announced. */
  reset(): void {
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.engine = null;
    for (const channel of this.channels) channel.end();
    this.channels.clear();
    this.localStream.value = null;
    this.muted.value = false;
    this.cameraOff.value = false;
    this.canUseCamera.value = false;
    this.cameraFailure.value = null;
    this.sharingScreen.value = false;
  }

  /** Tells the others what we send if it changed since they were last told. */
  announceChange(): void {
    if (!this.engine) return;
    for (const channel of this.channels) channel.say(this.state);
  }
}

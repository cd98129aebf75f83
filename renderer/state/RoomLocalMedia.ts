import type { MediaSource } from '../../protocol';
import type { CameraFailure, LocalKind, LocalMedia, LocalTracks } from '../call/LocalMedia';
import type { MediaPath } from '../call/MediaPath';
import type { MemberMedia } from './roomCallState';

export interface RoomLocalMediaDeps {
  /** A new path sends our media: the others are told what we send (room.media). */
  sending(): void;
  changed(): void;
  /** Our microphone or camera ended by itself (unplugged): the call should move to another. */
  inputEnded(kind: LocalKind): void;
}

/**
 * Our media in a group call: the call's one LocalMedia (its ActiveCall's: opened here once for a
 * call entered as a group call, or already open in a call of two that grew), with mute and
 * camera-off as disabled tracks and a screen share as its own producer. Our LocalMember
 * (RoomClient's `member`) drives it and tells the others what we send, from when a path sends it
 * (`sending`). Its call closes the LocalMedia, never this.
 */
export class RoomLocalMedia {
  private opened: Promise<void> | null = null;
  private path: MediaPath | null = null;
  private closed = false;

  /** `openTracks` opens our microphone and camera when the call has none open yet. */
  constructor(
    private readonly local: LocalMedia,
    private readonly deps: RoomLocalMediaDeps,
    private readonly openTracks: () => Promise<LocalTracks>,
  ) {
    local.listen({
      trackEnded: (kind) => {
        if (!this.closed) deps.inputEnded(kind);
      },
      changed: () => deps.changed(),
    });
  }

  /** Whether a path sends our media (what we send is told to the others then). */
  get sending(): boolean {
    return this.path !== null;
  }

  /** Why a grown video call goes without our camera (null: it has it, or it opens later). */
  get cameraFailure(): CameraFailure | null {
    return this.local.cameraFailure;
  }

  /** Whether our camera is open in the call (a grown audio call's, or an audio join's, is not). */
  get hasCamera(): boolean {
    return this.local.hasVideo;
  }

  /** What we send now, as room.media says it. */
  get state(): MemberMedia {
    return this.local.state;
  }

  track(source: MediaSource): MediaStreamTrack | null {
    return this.local.track(source);
  }

  /**
   * Opens our microphone and camera unless the call has them open (a grown call's); once for the
   * call, later calls wait for the same.
   */
  async open(): Promise<void> {
    this.opened ??= this.local.hasInputs
      ? Promise.resolve()
      : this.openTracks().then((tracks) => this.local.take(tracks));
    await this.opened;
  }

  /** Sends every track we have through `path` (a new one), then says what we send. */
  async sendTo(path: MediaPath, current: () => boolean): Promise<void> {
    await this.open();
    if (!current()) return;
    this.path = path;
    await this.local.sendTo(path);
    if (!current()) return;
    this.deps.sending();
  }

  /** The path went (the SFU lost the call, or the call ended): nothing to send to until the next. */
  detach(): void {
    if (this.path) this.local.detach(this.path);
    this.path = null;
  }

  setMicrophone(on: boolean): void {
    this.local.setMicrophoneEnabled(on);
  }

  setCamera(on: boolean): void {
    this.local.setCameraEnabled(on);
  }

  /**
   * Feeds the call from another microphone or camera (a track this now owns): muted or off as the
   * one it replaces, sent in its place on every path, which the others see no change in.
   */
  replaceInput(track: MediaStreamTrack): Promise<void> {
    return this.local.replaceInput(track);
  }

  /**
   * Our camera, opened mid-call in a call that sent none (a track this now owns): produced through
   * the SFU from now on, in the camera's simulcast layers and encrypted like the camera at the
   * start; a path made later sends it too.
   */
  async addCamera(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      throw new Error('the call is over');
    }
    await this.local.sendCamera(track);
  }

  /** Shares a screen (a track from getDisplayMedia, which this now owns) beside the camera. */
  async shareScreen(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    await this.local.shareScreen(track);
  }

  async stopScreenShare(): Promise<void> {
    if (this.closed || !this.local.sharingScreen) return;
    await this.local.shareScreen(null);
  }

  /** The group call is over for us: nothing more is sent or told from here (its call stops the tracks). */
  close(): void {
    this.closed = true;
    this.path = null;
  }
}

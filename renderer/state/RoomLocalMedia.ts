import type { MediaSource } from '../../protocol';
import type { MemberMedia } from './roomCallState';

/** Our microphone and camera for the call (null: not sending that one). */
export interface LocalTracks {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
}

/** Where our tracks go: the call's media path (the SFU's send transport). */
export interface LocalMediaSink {
  produce(source: MediaSource, track: MediaStreamTrack): Promise<void>;
  stopProducing(source: MediaSource): Promise<void>;
}

export interface RoomLocalMediaDeps {
  /** Opens the microphone and camera, once per call. */
  open(): Promise<LocalTracks>;
  /** Tells the other members what we send (room.media). */
  announce(state: MemberMedia): void;
  changed(): void;
  /** Our microphone or camera ended by itself (unplugged): the call should move to another. */
  inputEnded(kind: 'audio' | 'video'): void;
}

/**
 * Our media in a group call: the microphone and camera opened once for the whole call (a path
 * made again sends the same tracks), mute and camera-off as disabled tracks, and a screen share
 * as its own producer. Every change is announced to the others, so their tiles show it.
 */
export class RoomLocalMedia {
  private opened: Promise<LocalTracks> | null = null;
  private tracks: LocalTracks = { microphone: null, camera: null };
  private screen: MediaStreamTrack | null = null;
  private sink: LocalMediaSink | null = null;
  private closed = false;

  constructor(private readonly deps: RoomLocalMediaDeps) {}

  /** What we send now, as room.media says it. */
  get state(): MemberMedia {
    const { microphone, camera } = this.tracks;
    return {
      audio: microphone?.enabled ?? false,
      video: camera?.enabled ?? false,
      screen: this.screen !== null,
    };
  }

  track(source: MediaSource): MediaStreamTrack | null {
    return source === 'screen' ? this.screen : this.tracks[source];
  }

  /** Opens our microphone and camera (once for the call; later calls wait for the same). */
  async open(): Promise<void> {
    this.opened ??= this.deps.open().then((tracks) => {
      if (this.closed) stopAll(tracks);
      else {
        this.tracks = tracks;
        for (const track of [tracks.microphone, tracks.camera]) if (track) this.follow(track);
      }
      this.deps.changed();
      return tracks;
    });
    await this.opened;
  }

  /** Sends every track we have through `sink` (a new path), then says what we send. */
  async sendTo(sink: LocalMediaSink, current: () => boolean): Promise<void> {
    await this.open();
    if (!current()) return;
    this.sink = sink;
    const { microphone, camera } = this.tracks;
    if (microphone) await sink.produce('microphone', microphone);
    if (camera) await sink.produce('camera', camera);
    if (this.screen) await sink.produce('screen', this.screen);
    if (current()) this.announce();
  }

  /** The path went (the SFU lost the call, or the call ended): nothing to send to until the next. */
  detach(): void {
    this.sink = null;
  }

  setMicrophone(on: boolean): void {
    this.setEnabled(this.tracks.microphone, on);
  }

  setCamera(on: boolean): void {
    this.setEnabled(this.tracks.camera, on);
  }

  /**
   * Feeds the call from another microphone or camera (a track this now owns): muted or off as the
   * one it replaces, sent in its place on the path, which the others see no change in.
   */
  async replaceInput(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    const source = track.kind === 'audio' ? 'microphone' : 'camera';
    const previous = this.tracks[source];
    track.enabled = previous?.enabled ?? true;
    this.tracks = { ...this.tracks, [source]: track };
    this.follow(track);
    this.deps.changed();
    // The new track goes out before the old one stops, so the others hear no gap.
    await this.sink?.produce(source, track);
    previous?.stop();
    if (!previous) this.announce();
  }

  /** Shares a screen (a track from getDisplayMedia, which this now owns) beside the camera. */
  async shareScreen(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    const previous = this.screen;
    this.screen = track;
    previous?.stop();
    await this.sink?.produce('screen', track);
    this.announce();
  }

  async stopScreenShare(): Promise<void> {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    screen.stop();
    this.announce();
    await this.sink?.stopProducing('screen');
  }

  /** The call is over: every track we opened stops. */
  close(): void {
    this.closed = true;
    this.sink = null;
    stopAll(this.tracks);
    this.screen?.stop();
    this.screen = null;
  }

  /** Tells when the device behind the track goes away. */
  private follow(track: MediaStreamTrack): void {
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    track.addEventListener('ended', () => {
      if (!this.closed && this.track(kind === 'audio' ? 'microphone' : 'camera') === track) {
        this.deps.inputEnded(kind);
      }
    });
  }

  private setEnabled(track: MediaStreamTrack | null, on: boolean): void {
    if (!track || track.enabled === on) return;
    track.enabled = on;
    this.announce();
  }

  private announce(): void {
    this.deps.changed();
    if (this.sink) this.deps.announce(this.state);
  }
}

function stopAll(tracks: LocalTracks): void {
  tracks.microphone?.stop();
  tracks.camera?.stop();
}

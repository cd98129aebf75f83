import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { ReceivedFrames } from '../../call/E2eeStatusTracker';
import type { MemberMedia } from '../roomCallState';
import { MemberE2ee } from './MemberE2ee';
import { MemberFlow } from './MemberFlow';

/** Whether a member's share and chain verified (it gets our keys) or were refused. */
export type MemberTrust = 'verified' | 'refused';

/** What a member says of its microphone and camera: call.media names no screen, room.media does. */
export type SaidMedia = Omit<MemberMedia, 'screen'> & { screen?: boolean };

/**
 * A path a member's media comes to us by: the 1:1 call's peer-to-peer connection or the SFU. Each
 * has its own worker, which counts the member's frames from zero.
 */
export type MemberPath = 'p2p' | 'sfu';

/** Before a member says anything through the SFU, its tile shows nothing sent. */
const NOTHING_SAID: MemberMedia = { audio: false, video: false, screen: false };

/** A member's frames through one path: their end-to-end state and whether they still come. */
interface FramesThroughPath {
  e2ee: MemberE2ee;
  flow: MemberFlow;
}

/**
 * One other device in the call, the peer of a 1:1 call or a member of a group call alike, and the
 * same object for the whole call when a 1:1 call grows: what it says it sends, the end-to-end state
 * of its frames and whether its media reaches us (per path, shown for the path that carries it
 * now), and how far we trust it. What its tile or the 1:1 call screen shows comes from here.
 */
export class RemoteMember {
  /** What it says it sends (call.media, room.media); null until it says. */
  readonly media = signal<MemberMedia | null>(null);
  readonly muted = computed(() => this.media.value?.audio === false);
  readonly cameraOff = computed(() => this.media.value?.video === false);
  /** Its stream over a peer-to-peer connection (a 1:1 call), once the call is answered. */
  readonly stream = signal<MediaStream | null>(null);
  /** Its stream has video to show: it has a video track and sends video. */
  readonly hasVideo = signal(false);
  /**
   * What its tile shows it sends: over a peer-to-peer connection, what its stream has less what
   * it switched off (the 1:1 call screen's own reading); through the SFU, what it said.
   */
  readonly sends = computed<MemberMedia>(() => {
    if (this.path.value === 'sfu') return this.media.value ?? NOTHING_SAID;
    const video = this.hasVideo.value && !this.cameraOff.value;
    return { audio: !this.muted.value, video, screen: false };
  });
  /** Answered (or called) with sound only, it sends no video until it says it turned it on. */
  private sendsVideo = true;
  private readonly carrier: Signal<MemberPath>;
  private readonly through: Record<MemberPath, FramesThroughPath> = {
    p2p: { e2ee: new MemberE2ee(), flow: new MemberFlow() },
    sfu: { e2ee: new MemberE2ee(), flow: new MemberFlow() },
  };
  /** Null until its share was checked. */
  trust: MemberTrust | null = null;
  /** Verified, but its root key is not the one pinned here: the user is warned. */
  keyChanged = false;
  /** Our safety number with it, in groups of five digits, once verified. */
  safetyNumber: string | null = null;

  /** `path`: a 1:1 call's peer comes over its peer-to-peer connection, a group call's member through the SFU. */
  constructor(path: MemberPath = 'p2p') {
    this.carrier = signal(path);
  }

  /** The path that carries its media to us now: what it shows follows that path. */
  get path(): ReadonlySignal<MemberPath> {
    return this.carrier;
  }

  /** The end-to-end state of its frames through the path that carries it now. */
  get e2ee(): MemberE2ee {
    return this.through[this.path.value].e2ee;
  }

  /** Whether its media reaches us through the path that carries it now. */
  get flow(): MemberFlow {
    return this.through[this.path.value].flow;
  }

  said(media: SaidMedia): void {
    this.media.value = { audio: media.audio, video: media.video, screen: media.screen ?? false };
    // A member that answered with sound only turned its camera on.
    if (media.video && !this.sendsVideo) {
      this.sendsVideo = true;
      if (this.stream.value) this.showStream(this.stream.value);
    }
  }

  /** The call was answered with (or without) video on its side. */
  answeredWithVideo(video: boolean): void {
    this.sendsVideo = video;
  }

  showStream(stream: MediaStream): void {
    this.stream.value = stream;
    this.hasVideo.value = this.sendsVideo && stream.getVideoTracks().length > 0;
  }

  /**
   * Its microphone or camera track over the peer-to-peer connection (null: none, or no video to
   * show); a screen never comes that way on its own (a 1:1 call's screen replaces the camera).
   */
  trackOverP2p(source: 'microphone' | 'camera' | 'screen'): MediaStreamTrack | null {
    const stream = this.stream.value;
    if (source === 'microphone') return stream?.getAudioTracks()[0] ?? null;
    if (source === 'camera' && this.hasVideo.value) return stream?.getVideoTracks()[0] ?? null;
    return null;
  }

  /** `path`'s worker counted its frames (from zero when that path's worker started). */
  framesCounted(path: MemberPath, frames: ReceivedFrames, now: number): void {
    this.through[path].e2ee.count(frames, now);
    this.through[path].flow.count(frames, now);
  }

  /** Its frames through `path` as last counted (null: none since that path's counts started over). */
  framesThrough(path: MemberPath): ReceivedFrames | null {
    return this.through[path].flow.frames;
  }

  /**
   * A new worker on `path` counts from zero (a 1:1 call's new connection): the end-to-end status
   * holds until its counts say otherwise, and the flow starts over with them.
   */
  countsStartOver(path: MemberPath): void {
    this.through[path].e2ee.countsStartOver();
    this.through[path].flow.startOver();
  }

  /** `path` was made again, its worker counting from zero: nothing of it decoded through it yet. */
  pathStartsOver(path: MemberPath): void {
    this.through[path].e2ee.reset();
    this.through[path].flow.startOver();
  }

  /** `path` carries its media from now on (a grown call's peer, once the SFU does). */
  carriedBy(path: MemberPath): void {
    this.carrier.value = path;
  }

  verified(keyChanged: boolean): void {
    this.trust = 'verified';
    this.keyChanged = keyChanged;
  }

  refused(): void {
    this.trust = 'refused';
  }

  /** Its share is gone (it came back after a reload): the next one is checked as a first one. */
  forgetVerification(): void {
    this.trust = null;
    this.keyChanged = false;
    this.safetyNumber = null;
  }

  /** The call is over: nothing of this member is known any more. */
  reset(): void {
    this.media.value = null;
    this.stream.value = null;
    this.hasVideo.value = false;
    this.sendsVideo = true;
    for (const { e2ee, flow } of Object.values(this.through)) {
      e2ee.reset();
      flow.startOver();
    }
    this.forgetVerification();
  }
}

import { computed, signal } from '@preact/signals';
import type { ReceivedFrames } from '../../call/E2eeStatusTracker';
import type { MemberMedia } from '../roomCallState';
import { MemberE2ee } from './MemberE2ee';
import { MemberFlow } from './MemberFlow';

/** Whether a member's share and chain verified (it gets our keys) or were refused. */
export type MemberTrust = 'verified' | 'refused';

/** What a member says of its microphone and camera: call.media names no screen, room.media does. */
export type SaidMedia = Omit<MemberMedia, 'screen'> & { screen?: boolean };

/**
 * One other device in the call, the peer of a 1:1 call or a member of a group call alike: what it
 * says it sends, the end-to-end state of its frames, whether its media reaches us, and how far we
 * trust it. What its tile or the 1:1 call screen shows comes from here.
 */
export class RemoteMember {
  /** What it says it sends (call.media, room.media); null until it says. */
  readonly media = signal<MemberMedia | null>(null);
  readonly muted = computed(() => this.media.value?.audio === false);
  readonly cameraOff = computed(() => this.media.value?.video === false);
  readonly e2ee = new MemberE2ee();
  readonly flow = new MemberFlow();
  /** Its stream over a peer-to-peer connection (a 1:1 call), once the call is answered. */
  readonly stream = signal<MediaStream | null>(null);
  /** Its stream has video to show: it has a video track and sends video. */
  readonly hasVideo = signal(false);
  /** Answered (or called) with sound only, it sends no video until it says it turned it on. */
  private sendsVideo = true;
  /** Null until its share was checked. */
  trust: MemberTrust | null = null;
  /** Verified, but its root key is not the one pinned here: the user is warned. */
  keyChanged = false;
  /** Our safety number with it, in groups of five digits, once verified. */
  safetyNumber: string | null = null;

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

  framesCounted(frames: ReceivedFrames, now: number): void {
    this.e2ee.count(frames, now);
    this.flow.count(frames, now);
  }

  /** Its media comes over a new path whose worker counts from zero: nothing of it decoded yet. */
  pathStartsOver(): void {
    this.e2ee.reset();
    this.flow.startOver();
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
    this.e2ee.reset();
    this.flow.startOver();
    this.forgetVerification();
  }
}

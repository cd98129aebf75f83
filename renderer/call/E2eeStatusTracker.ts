import type { MediaKind, ReceiveCounts } from '../e2ee/worker/messages';

/** One incoming track kind's end-to-end state. */
export type TrackE2eeState = 'negotiating' | 'encrypted' | 'decrypt_failed';

/** Per track kind: video can fail while audio decrypts. A screen share is the video track. */
export type E2eeStatus = Readonly<Record<MediaKind, TrackE2eeState>>;

/** The call's state in one word: failed if any kind fails, encrypted if any decrypts. */
export type E2eeState = TrackE2eeState;

/**
 * Incoming frames by kind, as the worker counts them: the whole call's (a 1:1 call) or one
 * sender's (a group call), so one tracker serves both.
 */
export type ReceivedFrames = Readonly<Record<MediaKind, ReceiveCounts>>;

export const NEGOTIATING: E2eeStatus = { audio: 'negotiating', video: 'negotiating' };

/** Frames keep failing with none decrypting for this long: the keys do not match. */
export const DECRYPT_FAILED_AFTER_MS = 2_000;

/**
 * One kind's frame counts into its state: 'negotiating' until a frame decrypts, 'encrypted'
 * while frames decrypt, 'decrypt_failed' once incoming frames have failed for 2 s with none
 * decrypting (no key, the wrong one, replays, frames that are not SFrame at all).
 */
class KindTracker {
  private state: TrackE2eeState = 'negotiating';
  private decrypted = 0;
  private failed = 0;
  private failingSince: number | null = null;

  update(counts: ReceiveCounts, now: number): TrackE2eeState {
    const decryptedMore = counts.decrypted > this.decrypted;
    const failedMore = counts.decryptFailed > this.failed;
    this.decrypted = counts.decrypted;
    this.failed = counts.decryptFailed;
    if (decryptedMore) {
      this.failingSince = null;
      this.state = 'encrypted';
    } else if (failedMore) {
      this.failingSince ??= now;
      if (now - this.failingSince >= DECRYPT_FAILED_AFTER_MS) this.state = 'decrypt_failed';
    }
    return this.state;
  }
}

/** Turns one member's per-kind frame counts into what the call screen and the host show. */
export class E2eeStatusTracker {
  private readonly audio = new KindTracker();
  private readonly video = new KindTracker();

  update(counts: ReceivedFrames, now: number): E2eeStatus {
    return {
      audio: this.audio.update(counts.audio, now),
      video: this.video.update(counts.video, now),
    };
  }
}

export function overallE2eeState(status: E2eeStatus): E2eeState {
  if (status.audio === 'decrypt_failed' || status.video === 'decrypt_failed') {
    return 'decrypt_failed';
  }
  if (status.audio === 'encrypted' || status.video === 'encrypted') return 'encrypted';
  return 'negotiating';
}

/** The sentence beside the in-call encryption badge: it names the kind that fails. */
export function e2eeStatusText(status: E2eeStatus, peerName: string): string {
  const { audio, video } = status;
  if (audio === 'decrypt_failed' && video === 'decrypt_failed') {
    return `Can't decrypt ${peerName}'s media: the encryption keys don't match`;
  }
  if (video === 'decrypt_failed') {
    return audio === 'encrypted'
      ? `Can't decrypt video from ${peerName}; audio is end-to-end encrypted`
      : `Can't decrypt video from ${peerName}`;
  }
  if (audio === 'decrypt_failed') {
    return video === 'encrypted'
      ? `Can't decrypt audio from ${peerName}; video is end-to-end encrypted`
      : `Can't decrypt audio from ${peerName}`;
  }
  if (audio === 'encrypted' || video === 'encrypted') return 'End-to-end encrypted';
  return 'Setting up end-to-end encryption…';
}

import type { FrameCounts } from '../e2ee/worker/messages';

export type E2eeState = 'negotiating' | 'encrypted' | 'decrypt_failed';

/** Frames keep failing with none decrypting for this long: the keys do not match. */
export const DECRYPT_FAILED_AFTER_MS = 2_000;

/**
 * Turns the worker's frame counts into what the call screen says: 'negotiating' until a frame
 * decrypts, 'encrypted' while frames decrypt, 'decrypt_failed' once incoming frames have failed
 * for 2 s with none decrypting (no key, or the wrong one).
 */
export class E2eeStatusTracker {
  private state: E2eeState = 'negotiating';
  private decrypted = 0;
  private failed = 0;
  private failingSince: number | null = null;

  update(counts: FrameCounts, now: number): E2eeState {
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

/** The sentence beside the in-call encryption badge. */
export function e2eeStatusText(state: E2eeState, peerName: string): string {
  switch (state) {
    case 'negotiating':
      return 'Setting up end-to-end encryption…';
    case 'encrypted':
      return 'End-to-end encrypted';
    case 'decrypt_failed':
      return `Can't decrypt ${peerName}'s media: the encryption keys don't match`;
  }
}

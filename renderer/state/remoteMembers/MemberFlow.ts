import type { ReceivedFrames } from '../../call/E2eeStatusTracker';

/**
 * A member whose frames decrypted more within this long is still reaching us: the worker reports
 * every STATS_INTERVAL_MS (half a second), so this is several reports without a new frame.
 */
export const MEDIA_FLOWING_MS = 3_000;

const decryptedIn = (frames: ReceivedFrames | null) =>
  frames ? frames.audio.decrypted + frames.video.decrypted : 0;

/**
 * Whether a member's media reaches us, from its decrypted frames: flowing while they grow,
 * stalled once they stop. A muted microphone and a camera turned off still send frames (silence,
 * black), so a stall is media that stopped reaching us, not a member who went quiet.
 */
export class MemberFlow {
  private last: ReceivedFrames | null = null;
  /** When its decrypted frames last grew. */
  private flowedAt: number | null = null;

  count(frames: ReceivedFrames, now: number): void {
    if (decryptedIn(frames) > decryptedIn(this.last)) this.flowedAt = now;
    this.last = frames;
  }

  /** The member's frames as last counted (null: none since the counts started over). */
  get frames(): ReceivedFrames | null {
    return this.last;
  }

  /** Its frames decrypted lately (its media reaches us, whatever its signaling). */
  receiving(now: number): boolean {
    return this.flowedAt !== null && now - this.flowedAt < MEDIA_FLOWING_MS;
  }

  /** Its frames had been decrypting and have not for MEDIA_FLOWING_MS. */
  stalled(now: number): boolean {
    return this.flowedAt !== null && !this.receiving(now);
  }

  /** A new worker counts from zero: nothing counted so far holds. */
  startOver(): void {
    this.last = null;
    this.flowedAt = null;
  }
}

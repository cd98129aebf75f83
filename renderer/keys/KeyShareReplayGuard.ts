import { KEY_SHARE_MAX_AGE_MS, KEY_SHARE_MAX_FUTURE_MS } from '../../protocol';

/** Shares remembered at most; past it the oldest is forgotten first. */
export const MAX_REMEMBERED_KEY_SHARES = 1024;

/**
 * Key shares this device accepted, by call id and signature, while they are fresh enough to be
 * accepted again (KEY_SHARE_MAX_AGE_MS + KEY_SHARE_MAX_FUTURE_MS after signing, by our clock).
 * A share seen twice in that window is a replay: a relay offering an old invite again. Memory
 * only: after a restart the freshness bound alone applies.
 */
export class KeyShareReplayGuard {
  /** "callId signature" → when it stops being acceptable anyway. Map order is insertion order. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = MAX_REMEMBERED_KEY_SHARES) {}

  /** Records the share; false when it was already recorded (and not yet expired). */
  remember(callId: string, signature: string, signedAt: number, now: number): boolean {
    this.forgetExpired(now);
    const key = `${callId} ${signature}`;
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, Math.max(now, signedAt) + KEY_SHARE_MAX_AGE_MS + KEY_SHARE_MAX_FUTURE_MS);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetExpired(now: number): void {
    for (const [key, expiresAt] of this.seen) {
      if (expiresAt <= now) this.seen.delete(key);
    }
  }
}

/** Key shares main signs at once before the refill rate applies (a few calls and rejoins). */
export const CALL_KEY_SIGNING_BURST = 10;
/** One more key share may be signed every this many milliseconds (6 a minute), up to the burst. */
export const CALL_KEY_SIGNING_INTERVAL_MS = 10_000;

/**
 * How many call key shares main signs: a token bucket of CALL_KEY_SIGNING_BURST, refilled one per
 * CALL_KEY_SIGNING_INTERVAL_MS. A page that asks for shares in bulk (to keep for later calls)
 * gets a few, not hundreds; each is good for minutes only (see KEY_SHARE_MAX_AGE_MS).
 */
export class CallKeySigningLimit {
  private tokens: number;
  private updatedAt: number | null = null;

  constructor(
    private readonly burst = CALL_KEY_SIGNING_BURST,
    private readonly intervalMs = CALL_KEY_SIGNING_INTERVAL_MS,
  ) {
    this.tokens = burst;
  }

  /** Takes one signing at time `now`; returns null when allowed, else the ms until one is. */
  take(now: number): number | null {
    // A clock stepped back neither refills nor moves the refill point back (no double refill).
    const since = this.updatedAt ?? now;
    const elapsed = Math.max(0, now - since);
    this.tokens = Math.min(this.burst, this.tokens + elapsed / this.intervalMs);
    this.updatedAt = Math.max(since, now);
    if (this.tokens < 1) return Math.ceil((1 - this.tokens) * this.intervalMs);
    this.tokens -= 1;
    return null;
  }
}

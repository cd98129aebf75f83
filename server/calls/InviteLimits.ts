import { KeyedRateLimiter, type RateLimit } from './KeyedRateLimiter';

/**
 * How many calls a user may start: per caller (whoever they call), and per caller and callee (so
 * one person cannot be rung over and over). Both allow a burst, then one call per interval.
 */
export interface InviteLimitOptions {
  perCaller: RateLimit;
  perPair: RateLimit;
}

/** Ten calls at once, then one every 10 s: far above anyone placing calls by hand. */
export const DEFAULT_CALLER_INVITE_LIMIT: RateLimit = { burst: 10, everyMs: 10_000 };
/** Five calls to one person at once, then one every 20 s: redialing a few times is never refused. */
export const DEFAULT_PAIR_INVITE_LIMIT: RateLimit = { burst: 5, everyMs: 20_000 };
/** Most callers (and, separately, pairs) tracked at once; beyond it the least recent are dropped. */
export const MAX_TRACKED_INVITERS = 100_000;

export type InviteAllowance = { ok: true } | { ok: false; retryAfterMs: number };

export class InviteLimits {
  private readonly callers: KeyedRateLimiter<number>;
  private readonly pairs: KeyedRateLimiter<string>;

  constructor(options: InviteLimitOptions) {
    this.callers = new KeyedRateLimiter(options.perCaller, MAX_TRACKED_INVITERS);
    this.pairs = new KeyedRateLimiter(options.perPair, MAX_TRACKED_INVITERS);
  }

  /** Counts one call from caller to callee, or says how long to wait when either limit is hit. */
  take(callerId: number, calleeId: number, now: number): InviteAllowance {
    const pair = `${callerId}:${calleeId}`;
    const retryAfterMs = Math.max(this.callers.waitMs(callerId, now), this.pairs.waitMs(pair, now));
    if (retryAfterMs > 0) return { ok: false, retryAfterMs: Math.ceil(retryAfterMs) };
    this.callers.take(callerId, now);
    this.pairs.take(pair, now);
    return { ok: true };
  }
}

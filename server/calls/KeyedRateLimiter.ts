/**
 * How often something may happen: up to `burst` at once, then one more every `everyMs`.
 */
export interface RateLimit {
  burst: number;
  everyMs: number;
}

/**
 * A token bucket per key (a caller, a pair of users), kept as the one moment its bucket is full
 * again (the generic cell rate algorithm). A key whose bucket is full again is idle: it is the same
 * as a key never seen, so it is dropped. Keys are kept in order of last use and the oldest idle
 * ones are dropped as new ones come; past `maxKeys` the least recently used key is dropped even if
 * not idle (it then starts again with a full burst), so memory stays bounded whatever happens.
 */
export class KeyedRateLimiter<K> {
  /** Per key, when its bucket is full again; in order of last use, oldest first. */
  private readonly fullAt = new Map<K, number>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys: number,
  ) {}

  /** How long until `key` may go once more: 0 when it may now. */
  waitMs(key: K, now: number): number {
    const after = Math.max(this.fullAt.get(key) ?? now, now) + this.limit.everyMs;
    return Math.max(0, after - now - this.limit.burst * this.limit.everyMs);
  }

  /** Uses one of `key`'s allowance; call only after `waitMs` said 0. */
  take(key: K, now: number): void {
    const after = Math.max(this.fullAt.get(key) ?? now, now) + this.limit.everyMs;
    this.fullAt.delete(key);
    this.fullAt.set(key, after);
    this.dropIdle(now);
  }

  /** Keys tracked now (idle ones may linger until the next `take`). */
  get size(): number {
    return this.fullAt.size;
  }

  private dropIdle(now: number): void {
    for (const [key, fullAt] of this.fullAt) {
      if (fullAt > now && this.fullAt.size <= this.maxKeys) return;
      this.fullAt.delete(key);
    }
  }
}

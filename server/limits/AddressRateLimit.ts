import type { Clock } from '../calls/timePorts';
import { limitKey } from '../frontDoor/clientAddress';

/** At most `count` attempts per `windowMs` from one address, `count` of them at once. */
export interface RateRule {
  count: number;
  windowMs: number;
}

export type RateCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * How many addresses one limit remembers. An attacker with more addresses than this only pushes
 * out the least recently seen ones (which then start afresh); the memory stays bounded.
 */
export const MAX_TRACKED_ADDRESSES = 10_000;
/** Least recently used entries looked at on each attempt, and forgotten if idle (bucket full). */
const IDLE_SWEEP_PER_TAKE = 2;

/**
 * Tokens are counted in `windowMs`-ths so that the arithmetic stays in whole numbers: an attempt
 * costs `windowMs`, a full bucket holds `count * windowMs`, and every millisecond adds `count`.
 */
interface Bucket {
  credit: number;
  updatedAt: number;
}

/**
 * One per-address limit as token buckets: each address starts with `count` tokens, an attempt
 * takes one, and they come back evenly over `windowMs`. An address whose bucket is full again is
 * the same as one never seen, so it is forgotten.
 */
export class AddressRateLimit {
  /** In order of last use, least recent first. */
  private readonly buckets = new Map<string, Bucket>();
  private readonly full: number;

  constructor(
    readonly rule: RateRule,
    private readonly clock: Clock,
    private readonly maxAddresses = MAX_TRACKED_ADDRESSES,
  ) {
    this.full = rule.count * rule.windowMs;
  }

  /** Counts one attempt from `address`; refused attempts take nothing. */
  take(address: string): RateCheck {
    const key = limitKey(address);
    const now = this.clock.now();
    this.forgetIdle(now);
    const bucket = this.buckets.get(key) ?? { credit: this.full, updatedAt: now };
    this.refill(bucket, now);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxAddresses) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    const { count, windowMs } = this.rule;
    if (bucket.credit < windowMs) {
      return { allowed: false, retryAfterMs: Math.ceil((windowMs - bucket.credit) / count) };
    }
    bucket.credit -= windowMs;
    return { allowed: true };
  }

  /** Addresses remembered now (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.credit = Math.min(this.full, bucket.credit + elapsed * this.rule.count);
    bucket.updatedAt = now;
  }

  private forgetIdle(now: number): void {
    let looked = 0;
    for (const [key, bucket] of this.buckets) {
      if (looked++ >= IDLE_SWEEP_PER_TAKE) break;
      this.refill(bucket, now);
      if (bucket.credit >= this.full) this.buckets.delete(key);
    }
  }
}

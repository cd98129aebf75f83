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

interface Bucket {
  tokens: number;
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
  private readonly perMs: number;

  constructor(
    readonly rule: RateRule,
    private readonly clock: Clock,
    private readonly maxAddresses = MAX_TRACKED_ADDRESSES,
  ) {
    this.perMs = rule.count / rule.windowMs;
  }

  /** Counts one attempt from `address`; refused attempts take nothing. */
  take(address: string): RateCheck {
    const key = limitKey(address);
    const now = this.clock.now();
    this.forgetIdle(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.rule.count, updatedAt: now };
    this.refill(bucket, now);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxAddresses) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    if (bucket.tokens < 1) {
      return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.perMs) };
    }
    bucket.tokens -= 1;
    return { allowed: true };
  }

  /** Addresses remembered now (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.rule.count, bucket.tokens + elapsed * this.perMs);
    bucket.updatedAt = now;
  }

  private forgetIdle(now: number): void {
    let looked = 0;
    for (const [key, bucket] of this.buckets) {
      if (looked++ >= IDLE_SWEEP_PER_TAKE) break;
      this.refill(bucket, now);
      if (bucket.tokens >= this.rule.count) this.buckets.delete(key);
    }
  }
}

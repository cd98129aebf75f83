import type { Clock } from '../calls/timePorts';
import { TokenBucket } from './TokenBucket';

/** How long a rate-limited connection must stay quiet; `retryAfterMs` of its `rate_limited`. */
export const RATE_LIMIT_RETRY_AFTER_MS = 1_000;

export interface FloodLimits {
  /** Messages a connection may send at once... */
  messageBurst: number;
  /** ...and per second after that. */
  messageRate: number;
  /** Messages sent during one retry-after period beyond which the connection is closed. */
  floodCloseAfter: number;
}

/**
 * What to do with one incoming message, decided before it is read: process it; refuse it (the
 * one `rate_limited` answer); drop it unread; or close the connection for flooding.
 */
export type Admission = 'process' | 'refuse' | 'drop' | 'close';

/**
 * The rate limit of one connection. The first message over the token bucket is refused with one
 * answer and starts a quiet period of RATE_LIMIT_RETRY_AFTER_MS; whatever arrives in it is
 * dropped unanswered, so a flood costs the server almost nothing, and a connection that sends
 * more than `floodCloseAfter` messages in it is flooding and is closed.
 */
export class FloodGuard {
  private readonly bucket: TokenBucket;
  private quietUntil = 0;
  private droppedWhileQuiet = 0;

  constructor(
    private readonly limits: FloodLimits,
    private readonly clock: Clock,
  ) {
    this.bucket = new TokenBucket(limits.messageBurst, limits.messageRate, clock);
  }

  admit(): Admission {
    const now = this.clock.now();
    if (now < this.quietUntil) {
      this.droppedWhileQuiet += 1;
      return this.droppedWhileQuiet > this.limits.floodCloseAfter ? 'close' : 'drop';
    }
    if (this.bucket.take()) return 'process';
    this.quietUntil = now + RATE_LIMIT_RETRY_AFTER_MS;
    this.droppedWhileQuiet = 0;
    return 'refuse';
  }
}

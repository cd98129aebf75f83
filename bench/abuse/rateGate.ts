/**
 * The client's side of the server's per-connection rate limit (bursts of 200, 50 per second,
 * docs/protocol.md): a steady 40 a second with bursts of 50. Keeping far below the server's burst
 * leaves room for frames that reach a busy server bunched together.
 */
export const PACED_BURST = 50;
export const PACED_PER_SECOND = 40;

export class RateGate {
  private tokens: number;
  private updatedAt = performance.now();

  constructor(
    private readonly burst = PACED_BURST,
    private readonly perSecond = PACED_PER_SECOND,
  ) {
    this.tokens = burst;
  }

  /** Milliseconds until one message may be sent; 0 when it may go now (and is counted). */
  tryTake(): number {
    const now = performance.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond,
    );
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  async take(): Promise<void> {
    for (let wait = this.tryTake(); wait > 0; wait = this.tryTake()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

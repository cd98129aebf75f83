import type { Scheduler } from '../calls/timePorts';

/** How long a processed client notice may wait for its `ack`. */
export const ACK_DELAY_MS = 250;
/** This many unacknowledged client notices are acknowledged at once. */
export const ACK_EVERY = 32;

/**
 * Batches the server's `ack`s of one connection's client notices: one `ack` at most
 * ACK_DELAY_MS after a notice was processed, or at once after ACK_EVERY of them.
 */
export class AckBatcher {
  private unacknowledged = 0;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly sendAck: () => void,
  ) {}

  /** A client notice was processed (or a duplicate seen, whose sender still waits for an ack). */
  processed(): void {
    this.unacknowledged += 1;
    if (this.unacknowledged >= ACK_EVERY) this.flush();
    else this.cancelTimer ??= this.scheduler.schedule(ACK_DELAY_MS, () => this.flush());
  }

  /** Acknowledges now whatever is pending. */
  flush(): void {
    this.stop();
    this.sendAck();
  }

  /** Forgets what is pending (the connection closed, or a new stream began). */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.unacknowledged = 0;
  }
}

/**
 * Time as ports, so the call state machine stays free of I/O and tests can drive the ring
 * timeout with a fake scheduler instead of waiting 45 seconds.
 */
export interface Clock {
  now(): number;
}

export interface Scheduler {
  /** Runs `task` once after `delayMs`; the returned function cancels it if it has not run yet. */
  schedule(delayMs: number, task: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const timerScheduler: Scheduler = {
  schedule(delayMs, task) {
    const timer = setTimeout(task, delayMs);
    return () => clearTimeout(timer);
  },
};

/**
 * A scheduler whose pending tasks can all be cancelled at once: a stopping server must not run
 * timers (ring timeouts, reconnect graces) against a closed database.
 */
export class StoppableScheduler implements Scheduler {
  private readonly pending = new Set<() => void>();

  constructor(private readonly inner: Scheduler) {}

  schedule(delayMs: number, task: () => void): () => void {
    const cancelInner = this.inner.schedule(delayMs, () => {
      this.pending.delete(cancel);
      task();
    });
    const cancel = () => {
      this.pending.delete(cancel);
      cancelInner();
    };
    this.pending.add(cancel);
    return cancel;
  }

  stop(): void {
    for (const cancel of [...this.pending]) cancel();
  }
}

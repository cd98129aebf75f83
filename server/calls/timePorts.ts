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

import type { Clock, Scheduler } from '../../../server/calls/timePorts';

/** A clock and scheduler that move only when the test says so. */
export class FakeTime implements Clock, Scheduler {
  private time = 1_000_000;
  private tasks: { at: number; task: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): () => void {
    const entry = { at: this.time + delayMs, task, cancelled: false };
    this.tasks.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  get pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.tasks.filter((t) => t.at <= this.time && !t.cancelled);
    this.tasks = this.tasks.filter((t) => !due.includes(t));
    for (const entry of due) entry.task();
  }
}

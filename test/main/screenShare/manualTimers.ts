import type { TimerPort } from '../../../main/screenShare/ScreenShareBroker';

/** A clock the test moves by hand. */
export class ManualTimers implements TimerPort {
  private now = 0;
  private timers = new Map<number, { at: number; run: () => void }>();
  private next = 1;
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.now) {
        this.timers.delete(id);
        timer.run();
      }
    }
  }
  get pending(): number {
    return this.timers.size;
  }
}

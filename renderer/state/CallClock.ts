import { signal } from '@preact/signals';

/** Ticks once a second while a call is connected, for the call timer. */
export class CallClock {
  readonly now = signal(0);
  private timer: ReturnType<typeof setInterval> | null = null;

  start(now: () => number): void {
    this.stop();
    this.now.value = now();
    this.timer = setInterval(() => {
      this.now.value = now();
    }, 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

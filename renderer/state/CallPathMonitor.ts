import { signal } from '@preact/signals';
import { callPathFromStats, type CallPath } from '../call/callPath';

const POLL_MS = 1000;

/** The part of a CallEngine the monitor reads. */
export interface StatsSource {
  readonly connectionState: RTCPeerConnectionState;
  getStats(): Promise<RTCStatsReport>;
}

/**
 * Whether the current call is direct or relayed, and over which transport, read from getStats
 * about once a second (the selected pair changes when ICE restarts or a better pair wins). Null
 * until a pair is selected and once the call's connection is closed.
 */
export class CallPathMonitor {
  readonly path = signal<CallPath | null>(null);
  private timer: ReturnType<typeof setInterval> | null = null;

  watch(engine: StatsSource): void {
    this.stop();
    const timer = setInterval(() => {
      if (engine.connectionState === 'closed') {
        if (this.timer === timer) this.stop();
        return;
      }
      engine.getStats().then(
        (report) => {
          const path = callPathFromStats(report);
          const same = JSON.stringify(path) === JSON.stringify(this.path.value);
          if (this.timer === timer && !same) this.path.value = path;
        },
        () => undefined,
      );
    }, POLL_MS);
    this.timer = timer;
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.path.value = null;
  }
}

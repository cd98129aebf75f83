import { register } from '../abuse/accounts';
import { BenchSocket } from '../abuse/benchSocket';
import { sleep } from '../abuse/measure';

/** How often the probe sends `ping`: 20 a second, within the per-connection rate limit. */
const PROBE_EVERY_MS = 50;
/** A ping unanswered this long is given up on (the server has fallen far behind). */
const PING_TIMEOUT_MS = 60_000;

/**
 * The server's event-loop lag, seen from outside: a signed-in connection of the bench's own
 * (mostly idle) process sends `ping` on a fixed schedule, whatever the previous did, and times
 * each `ok`. A ping waits behind whatever the server's loop is busy with (a heartbeat sweep, a
 * burst of setups), so its round trip is the lag plus a loopback round trip.
 */
export class PingProbe {
  private samples: { at: number; ms: number }[] = [];
  private sent: number[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly socket: BenchSocket) {}

  static async open(url: string): Promise<PingProbe> {
    const socket = await BenchSocket.open(url);
    await register(socket, 'probe');
    return new PingProbe(socket);
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const sentAt = performance.now();
        this.sent.push(sentAt);
        this.socket.request('ping', {}, PING_TIMEOUT_MS).then(
          () => this.samples.push({ at: sentAt, ms: performance.now() - sentAt }),
          () => {}, // counted by unansweredSince
        );
        await sleep(PROBE_EVERY_MS);
      }
    })();
  }

  /** Round trips of the pings sent since `since` (a performance.now() time). */
  samplesSince(since: number): number[] {
    return this.samples.filter((sample) => sample.at >= since).map((sample) => sample.ms);
  }

  /** Pings sent since `since` not answered yet: the server's loop is that far behind. */
  unansweredSince(since: number): number {
    return this.sent.filter((at) => at >= since).length - this.samplesSince(since).length;
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    this.socket.terminate();
  }
}

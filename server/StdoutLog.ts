import type { Writable } from 'node:stream';

/** Log bytes queued for a reader that does not keep up; lines beyond it are dropped. */
export const MAX_PENDING_LOG_BYTES = 4 * 1024 * 1024;

/**
 * Where the server process writes its JSON log lines (a pino destination): standard output, which
 * must never hold the server up. A reader that went away (EPIPE: `| head`, a log shipper that
 * died) ends logging, said once on stderr; a reader that stalls gets at most
 * MAX_PENDING_LOG_BYTES queued and the lines beyond are dropped. Nothing of it runs at exit (pino's
 * own exit-time flush retried EPIPE forever): `settled` gives the last lines a bounded time.
 */
export class StdoutLog {
  private failure: Error | null = null;
  private pendingWrites = 0;
  private dropped = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly out: Writable = process.stdout,
    private readonly sayOnStderr: (line: string) => void = writeStderr,
  ) {
    out.on('error', (error) => this.fail(error));
  }

  write(line: string): void {
    if (this.failure) return;
    if (this.out.writableLength > MAX_PENDING_LOG_BYTES) {
      this.dropped++;
      return;
    }
    this.pendingWrites++;
    this.out.write(line, () => {
      this.pendingWrites--;
      if (this.pendingWrites === 0) this.wake();
    });
  }

  /** Lines dropped because the reader did not keep up. */
  get droppedLines(): number {
    return this.dropped;
  }

  /**
   * Resolves once every line written so far is out or the output failed (true), or after
   * `timeoutMs` with lines still waiting for a stalled reader (false).
   */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.failure || this.pendingWrites === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.failure !== null || this.pendingWrites === 0);
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.waiters.add(done);
    });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    this.sayOnStderr(`log output failed (${code}); no more log lines are written`);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

let stderrGuarded = false;

/** One line on stderr; a stderr that is gone too is ignored (it must not crash the server). */
export function writeStderr(line: string): void {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on('error', () => {});
  }
  process.stderr.write(`parley-server: ${line}\n`);
}

import type { Logger } from 'pino';
import { writeStderr, type StdoutLog } from './StdoutLog';

/** How long a stop may take, from the signal to the exit, unless `--shutdown-timeout-ms` says. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** At most this long (within the deadline) for the last log lines to reach a slow log reader. */
const LOG_SETTLE_MS = 2_000;

export interface StopSignalOptions {
  /** Stops the server (closes connections and the database); resolves once it has. */
  close: () => Promise<void>;
  logger: Logger;
  log: StdoutLog;
  timeoutMs: number;
}

/**
 * The process's stop: on SIGTERM or SIGINT it closes the server and exits, with status 0 when the
 * server closed cleanly (1 when closing failed). Whatever happens to the log output or to close(),
 * the process ends within `timeoutMs` of the signal: past it, it exits with status 1 and a line on
 * stderr; a second signal ends it at once, the same way. What was written to the database before
 * is on disk either way (every write is committed when it returns).
 */
export function exitOnStopSignals({ close, logger, log, timeoutMs }: StopSignalOptions): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      exitNow(`${signal} again: exiting before the shutdown finished`);
      return;
    }
    stopping = true;
    const deadline = Date.now() + timeoutMs;
    const overdue = `shutdown did not finish within ${timeoutMs} ms; exiting`;
    setTimeout(() => exitNow(overdue), timeoutMs);
    logger.info({ signal, timeoutMs }, 'shutting down');
    void close()
      .then(
        () => 0,
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          return 1;
        },
      )
      .then(async (status) => {
        const remainingMs = deadline - Date.now();
        if (!(await log.settled(Math.min(LOG_SETTLE_MS, remainingMs)))) {
          // Cut short by the deadline rather than by the log's own allowance: the stop is overdue,
          // whichever of this and the deadline's timer runs first.
          if (remainingMs <= LOG_SETTLE_MS) return exitNow(overdue);
          writeStderr('the log reader did not take the last log lines; exiting without them');
        }
        process.exit(status);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function exitNow(reason: string): void {
  writeStderr(reason);
  process.exit(1);
}

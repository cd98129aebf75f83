/**
 * `parley-server`: the signaling server as a process. Reads flags (or PARLEY_* variables), logs
 * JSON lines with pino to stdout (one `"msg":"listening"` line with `url` and `wsUrl` once ready:
 * the desktop app and the launcher read it), and shuts down on SIGTERM or SIGINT within
 * `--shutdown-timeout-ms`, whatever becomes of stdout (see exitOnStopSignals and StdoutLog).
 * Bad flags print one line to stderr and exit with status 2.
 */
import pino from 'pino';
import { startServer } from './app';
import { CliError, parseCli, USAGE } from './cliOptions';
import { exitOnStopSignals } from './exitOnStopSignals';
import { StdoutLog } from './StdoutLog';

async function main(log: StdoutLog): Promise<void> {
  let command;
  try {
    command = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`parley-server: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const logger = pino({}, log);
  const server = await startServer({ ...command.options, logger });
  logger.info({ url: server.url, wsUrl: server.wsUrl }, 'listening');
  exitOnStopSignals({
    close: () => server.close(),
    logger,
    log,
    timeoutMs: command.shutdownTimeoutMs,
  });
}

const log = new StdoutLog();
main(log).catch((error: unknown) => {
  pino({}, log).fatal({ err: error }, 'server failed to start');
  void log.settled(1000).then(() => process.exit(1));
});

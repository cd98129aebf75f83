/**
 * `parley-server`: the signaling server as a process. Reads flags (or PARLEY_* variables), logs
 * JSON lines with pino to stdout (one `"msg":"listening"` line with `url` and `wsUrl` once ready:
 * the desktop app and the launcher read it), and shuts down cleanly on SIGTERM or SIGINT.
 * Bad flags print one line to stderr and exit with status 2.
 */
import pino from 'pino';
import { startServer } from './app';
import { CliError, parseCli, USAGE } from './cliOptions';

async function main(): Promise<void> {
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

  const logger = pino();
  const server = await startServer({ ...command.options, logger });
  logger.info({ url: server.url, wsUrl: server.wsUrl }, 'listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, 'server failed to start');
  process.exit(1);
});

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServerOptions } from './app';

/**
 * Command-line flags of `server/main.ts`, each with an environment equivalent; a flag wins over
 * its variable. Bad values throw a CliError whose message is the one line to show.
 */
export class CliError extends Error {}

export const USAGE = `usage: parley-server [options]
  --port <n>                PARLEY_PORT                port to listen on (0 = any free port; default 8080)
  --host <addr>             PARLEY_HOST                bind address (default 127.0.0.1)
  --data <dir>              PARLEY_DATA                data folder for the SQLite database (default ./data)
  --tls-cert <file>         PARLEY_TLS_CERT            TLS certificate (PEM); serves https/wss with --tls-key
  --tls-key <file>          PARLEY_TLS_KEY             TLS private key (PEM)
  --ring-timeout-ms <n>     PARLEY_RING_TIMEOUT_MS     how long calls ring before timing out
  --reconnect-grace-ms <n>  PARLEY_RECONNECT_GRACE_MS  how long a dropped device keeps its calls (default 30000)
  --help                                               show this help`;

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'serve'; options: Omit<ServerOptions, 'logger'> };

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'ring-timeout-ms': { type: 'string' },
        'reconnect-grace-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };

  const port = integer('--port', values.port ?? env.PARLEY_PORT ?? '8080', 0, 65535);
  const host = values.host ?? env.PARLEY_HOST ?? '127.0.0.1';
  if (host === '') throw new CliError('--host must not be empty');
  const dataDir = resolve(values.data ?? env.PARLEY_DATA ?? './data');
  const certFile = values['tls-cert'] ?? env.PARLEY_TLS_CERT;
  const keyFile = values['tls-key'] ?? env.PARLEY_TLS_KEY;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new CliError('--tls-cert and --tls-key must be given together');
  }
  const ringTimeout = values['ring-timeout-ms'] ?? env.PARLEY_RING_TIMEOUT_MS;
  const reconnectGrace = values['reconnect-grace-ms'] ?? env.PARLEY_RECONNECT_GRACE_MS;
  return {
    kind: 'serve',
    options: {
      port,
      host,
      dataDir,
      ...(certFile && keyFile ? { tls: { certFile, keyFile } } : {}),
      ...(ringTimeout !== undefined
        ? { ringTimeoutMs: integer('--ring-timeout-ms', ringTimeout, 1, 10 * 60_000) }
        : {}),
      ...(reconnectGrace !== undefined
        ? {
            reconnectGraceMs: integer('--reconnect-grace-ms', reconnectGrace, 0, 60 * 60_000),
          }
        : {}),
    },
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

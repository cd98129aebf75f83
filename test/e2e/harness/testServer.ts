import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { RING_TIMEOUT_MS } from '../../../protocol/primitives';
import { startServer, type ServerOptions } from '../../../server/app';
import type { TurnOptions } from '../../../server/turn/IceIssuer';
import { RENDERER_DIST, ensureRendererBuilt } from './rendererBuild';

export interface TestServer {
  /** Base URL of the web client, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The server's data folder (its SQLite file is DATABASE_FILE in it), removed by close(). */
  dataDir: string;
  close(): Promise<void>;
}

/** The real server, in this process, on a free loopback port with a fresh data folder. */
export async function startTestServer(
  options: {
    ringTimeoutMs?: number;
    reconnectGraceMs?: number;
    turn?: TurnOptions;
    inviteLimits?: ServerOptions['inviteLimits'];
    hostnames?: string[];
    /** Group calls through a mediasoup SFU (each test file its own port range). */
    sfu?: ServerOptions['sfu'];
  } = {},
): Promise<TestServer> {
  ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  try {
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      webRoot: RENDERER_DIST,
      ringTimeoutMs: options.ringTimeoutMs ?? RING_TIMEOUT_MS,
      ...(options.turn ? { turn: options.turn } : {}),
      ...(options.reconnectGraceMs !== undefined && { reconnectGraceMs: options.reconnectGraceMs }),
      ...(options.inviteLimits && { inviteLimits: options.inviteLimits }),
      ...(options.hostnames && { hostnames: options.hostnames }),
      ...(options.sfu && { sfu: options.sfu }),
      logger: pino({ level: 'silent' }),
    });
    return {
      url: server.url,
      dataDir,
      close: async () => {
        try {
          await server.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

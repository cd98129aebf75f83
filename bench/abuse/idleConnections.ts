import WebSocket from 'ws';
import { bump, type Counts } from './counts';
import { assertServerAnswers, round, sleep } from './measure';
import type { ServerUnderTest } from './serverUnderTest';

export interface IdleConfig {
  connections: number;
  /** How long after the last connection opened the bench counts the ones still open. */
  waitMs: number;
}

export interface IdleResult {
  attempted: number;
  opened: number;
  /** Upgrades the server refused, by reason (an HTTP status, or the socket error). */
  refused: Counts;
  stillOpenAfterWait: number;
  waitSeconds: number;
  serverCloses: Counts;
  rssBeforeMiB: number;
  rssWithIdleMiB: number;
}

const OPEN_BATCH = 100;

/** Connections that open and then say nothing, not even `hello`. */
export async function idleConnections(
  server: ServerUnderTest,
  config: IdleConfig,
): Promise<IdleResult> {
  const rssBeforeMiB = server.rssMiB();
  const refused: Counts = {};
  const serverCloses: Counts = {};
  const sockets: WebSocket[] = [];
  const open = () =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(server.wsUrl);
      ws.once('open', () => {
        sockets.push(ws);
        ws.once('close', (code) => bump(serverCloses, String(code)));
        resolve();
      });
      ws.once('unexpected-response', (_request, response) => {
        bump(refused, `HTTP ${response.statusCode}`);
        ws.terminate();
        resolve();
      });
      ws.once('error', (error: NodeJS.ErrnoException) => {
        if (ws.readyState !== WebSocket.OPEN) bump(refused, error.code ?? error.message);
        resolve();
      });
    });
  for (let opened = 0; opened < config.connections; opened += OPEN_BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(OPEN_BATCH, config.connections - opened) }, open),
    );
  }
  await sleep(config.waitMs);
  const stillOpen = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  const rssWithIdleMiB = server.rssMiB();
  const closedByServer = { ...serverCloses };
  for (const ws of sockets) ws.terminate();
  await assertServerAnswers(server, 'the idle connections');
  return {
    attempted: config.connections,
    opened: sockets.length,
    refused,
    stillOpenAfterWait: stillOpen,
    waitSeconds: config.waitMs / 1000,
    serverCloses: closedByServer,
    rssBeforeMiB: round(rssBeforeMiB),
    rssWithIdleMiB: round(rssWithIdleMiB),
  };
}

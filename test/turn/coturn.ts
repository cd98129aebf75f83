import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '../tls/selfSignedCertificate';
import { StunClient } from './StunClient';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { coturnConfig } = require('../../scripts/coturnConfig.cjs') as {
  coturnConfig(settings: Record<string, string | number | boolean | string[] | null>): string;
};

export interface RunningCoturn {
  host: string;
  port: number;
  /** TURN over TLS, when started with `tls`: its port and its certificate's SPKI hash (base64
   * SHA-256, for Chromium's --ignore-certificate-errors-spki-list). */
  tls: { port: number; spkiHash: string } | null;
  /** Everything coturn logged so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface CoturnOptions {
  secret: string;
  /** Where coturn listens and relays from (default 127.0.0.1). */
  host?: string;
  /** Also serve TURN over TLS, with a self-signed certificate for the host address. */
  tls?: boolean;
  /** More settings over the project's file (see scripts/coturnConfig.cjs). */
  settings?: Record<string, string | number | boolean | string[] | null>;
}

/**
 * A real coturn from the project's deploy/coturn/turnserver.conf, with a test secret, listening
 * and relaying on one address only, its files in a temporary folder, with TLS only when asked.
 * Resolves once it answers a STUN Binding request.
 */
export async function startCoturn(options: CoturnOptions): Promise<RunningCoturn> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const minPort = 20_000 + Math.floor(Math.random() * 200) * 100;
  const dir = mkdtempSync(join(tmpdir(), 'parley-coturn-'));
  const configFile = join(dir, 'turnserver.conf');
  const tls = options.tls
    ? { port: await freePort(host), ...selfSignedCertificate(dir, host) }
    : null;
  writeFileSync(
    configFile,
    coturnConfig({
      'static-auth-secret': options.secret,
      'listening-ip': host,
      'relay-ip': host,
      'listening-port': String(port),
      'min-port': String(minPort),
      'max-port': String(minPort + 99),
      ...(tls
        ? { 'tls-listening-port': String(tls.port), cert: tls.cert, pkey: tls.key }
        : { 'no-tls': true }),
      'no-dtls': true,
      pidfile: join(dir, 'turnserver.pid'),
      userdb: join(dir, 'turndb'),
      ...options.settings,
    }),
    { mode: 0o600 },
  );

  const child = spawn('turnserver', ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await untilAnswering(child, host, port);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    host,
    port,
    tls: tls && { port: tls.port, spkiHash: tls.spkiHash },
    log: () => output,
    stop,
  };
}

async function untilAnswering(child: ChildProcess, host: string, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  const stun = new StunClient(host, port);
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`coturn exited with ${child.exitCode}`);
      try {
        await stun.binding(200);
        return;
      } catch {
        // not listening yet
      }
    }
    throw new Error('coturn did not answer STUN within 10 s');
  } finally {
    stun.close();
  }
}

/** A port free for TCP on `host` (coturn listens on it for UDP and TCP). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

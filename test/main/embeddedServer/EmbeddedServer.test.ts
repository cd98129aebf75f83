import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedServer,
  EmbeddedServerStartError,
  type ForkServer,
} from '../../../main/embeddedServer/EmbeddedServer';
import { embeddedServerArgs } from '../../../main/embeddedServer/serverChoice';

const serverBundle = join(__dirname, '../../../dist/server/main.js');

/** Node's child_process stands in for Electron's utilityProcess: same pipes, same exit event. */
function forkWithNode(children: ChildProcess[]): ForkServer {
  return (modulePath, args) => {
    const child = spawn(process.execPath, [modulePath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  };
}

/** A child running `script` with `node -e`, for behaviour the real server never shows on cue. */
function scriptServer(children: ChildProcess[], script: string, timeoutMs?: number) {
  const fork = forkWithNode(children);
  const server = new EmbeddedServer((_path, args) => fork('-e', [script, ...args]), timeoutMs);
  return server;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

// Each test starts a node process: CPU work, which a busy machine slows.
jest.setTimeout(30_000);

let children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
  children = [];
});

describe('EmbeddedServer with the real server bundle', () => {
  it('starts dist/server/main.js, learns its address from the log, and stops it', async () => {
    if (!existsSync(serverBundle)) {
      throw new Error(
        'dist/server/main.js is missing: run `node scripts/build.mjs --only server` first (npm test does)',
      );
    }
    const userData = await mkdtemp(join(tmpdir(), 'parley-embedded-'));
    const server = new EmbeddedServer(forkWithNode(children));
    try {
      const address = await server.start(serverBundle, embeddedServerArgs(userData));
      expect(new URL(address.url).hostname).toBe('127.0.0.1');
      expect(new URL(address.wsUrl).protocol).toBe('ws:');
      const health = await fetch(new URL('/healthz', address.url));
      expect(health.status).toBe(200);
      expect(existsSync(join(userData, 'server'))).toBe(true);
      await server.stop();
      expect(children[0]?.exitCode ?? children[0]?.signalCode).not.toBeNull();
      await expect(fetch(new URL('/healthz', address.url))).rejects.toThrow();
    } finally {
      await server.stop();
      await rm(userData, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('EmbeddedServer start-up failures', () => {
  it('waits through other output and chunked writes for the listening line', async () => {
    const server = scriptServer(
      children,
      `process.stdout.write('{"msg":"starting"}\\nnot json\\n{"msg":"list');
       setTimeout(() => process.stdout.write('ening","url":"http://127.0.0.1:5/","wsUrl":"ws://127.0.0.1:5/ws"}\\n'), 50);
       setInterval(() => {}, 1000);`,
    );
    await expect(server.start('ignored', [])).resolves.toEqual({
      url: 'http://127.0.0.1:5/',
      wsUrl: 'ws://127.0.0.1:5/ws',
    });
    await server.stop();
  });

  it('reports a server that exits before listening, with the end of its output', async () => {
    const server = scriptServer(children, `console.error('database is locked'); process.exit(3);`);
    const failure = server.start('ignored', []);
    await expect(failure).rejects.toThrow(
      /embedded server exited with code 3 before it was listening\ndatabase is locked/,
    );
    // The start-up box words this class of failure for the user (startFailureMessage).
    await expect(failure).rejects.toBeInstanceOf(EmbeddedServerStartError);
  });

  it('gives up on a silent server after the timeout and stops it', async () => {
    const server = scriptServer(children, 'setInterval(() => {}, 1000);', 300);
    await expect(server.start('ignored', [])).rejects.toThrow(
      'embedded server did not report "listening" within 300 ms',
    );
    await exited(children[0] as ChildProcess);
  });

  it('does not hang quitting on a server that ignores SIGTERM', async () => {
    const server = scriptServer(
      children,
      `process.on('SIGTERM', () => {});
       console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:5/', wsUrl: 'ws://127.0.0.1:5/ws' }));
       setInterval(() => {}, 1000);`,
    );
    await server.start('ignored', []);
    const started = Date.now();
    await server.stop(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses to start twice', async () => {
    const server = scriptServer(children, 'setInterval(() => {}, 1000);', 5000);
    const first = server.start('ignored', []);
    await expect(server.start('ignored', [])).rejects.toThrow('embedded server: already started');
    await server.stop(200);
    await expect(first).rejects.toThrow('before it was listening');
  });
});

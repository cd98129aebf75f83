import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, ensureRendererBuilt } from './rendererBuild';

/**
 * The built server (`node dist/server/main.js`) as a child process that a test can kill and
 * start again on the same port and data folder, the way an operator's restart looks to clients.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly extraArgs: string[],
  ) {}

  static async start(extraArgs: string[] = []): Promise<ServerProcess> {
    ensureRendererBuilt();
    const server = new ServerProcess(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'parley-e2e-process-')),
      extraArgs,
    );
    try {
      await server.launch();
      return server;
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  /** Base URL of the web client. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Starts the process and resolves once it logs that it listens. */
  async launch(): Promise<void> {
    if (this.child) throw new Error('the server is already running');
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'dist/server/main.js'),
        '--host',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--data',
        this.dataDir,
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('"msg":"listening"')) resolve();
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`the server exited before listening (${code ?? signal})`)),
      );
    });
  }

  /** Kills the process with this signal and waits until it is gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async close(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A loopback port nobody listens on now, so a restart can come back on the same one. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

import { join } from 'node:path';
import { REPO_ROOT } from '../../e2e/harness/rendererBuild';
import { NamespacedProcess } from './namespacedProcess';

const SERVER_MAIN = join(REPO_ROOT, 'dist', 'server', 'main.js');
export const SERVER_PORT = 8080;

/**
 * The Parley server as a process in its namespace (built by test/buildOnce.js), on a data folder
 * that outlives the process, so that a test can kill it and start it again on the same data.
 */
export class LabServer {
  private process: NamespacedProcess | null = null;

  constructor(
    private readonly namespace: string,
    private readonly host: string,
    private readonly dataDir: string,
    /** Extra flags (TURN, grace periods) for every start. */
    private readonly flags: string[],
  ) {}

  get url(): string {
    return `http://${this.host}:${SERVER_PORT}`;
  }

  /** What the current (or last) process printed. */
  get log(): string {
    return this.process?.log ?? '';
  }

  async start(): Promise<void> {
    if (this.process?.running) throw new Error('the lab server is already running');
    this.process = NamespacedProcess.spawn('parley server', this.namespace, process.execPath, [
      SERVER_MAIN,
      '--host',
      this.host,
      '--port',
      String(SERVER_PORT),
      '--data',
      this.dataDir,
      ...this.flags,
    ]);
    await this.process.waitForOutput(/"msg":"listening"/);
  }

  /** SIGTERM (a clean stop) or SIGKILL (a crash); waits for the process to be gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.process?.stop(signal);
  }
}

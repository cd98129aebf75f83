import { LineSplitter } from './LineSplitter';
import { parseListeningLine, type ListeningAddress } from './serverChoice';

/** A started server process as main sees it; Electron's UtilityProcess fits, so does a Node child. */
export interface ServerProcess {
  stdout: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): boolean;
}

export type ForkServer = (modulePath: string, args: string[]) => ServerProcess;

const OUTPUT_TAIL_LINES = 20;

/** The embedded server exited or stayed silent before it was listening; the message has its output. */
export class EmbeddedServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedServerStartError';
  }
}

/**
 * Starts the bundled server and resolves once it logs its "listening" line. If it exits or stays
 * silent first, the promise rejects with the end of its output so the failure can be shown.
 */
export class EmbeddedServer {
  private child: ServerProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly fork: ForkServer,
    private readonly startTimeoutMs = 20_000,
  ) {}

  start(modulePath: string, args: string[]): Promise<ListeningAddress> {
    if (this.child) return Promise.reject(new Error('embedded server: already started'));
    const child = this.fork(modulePath, args);
    this.child = child;
    const tail: string[] = [];
    const remember = (line: string) => {
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    };
    return new Promise<ListeningAddress>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        fail(`did not report "listening" within ${this.startTimeoutMs} ms`);
        child.kill();
      }, this.startTimeoutMs);
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(
          new EmbeddedServerStartError(`embedded server ${reason}\n${tail.join('\n')}`.trimEnd()),
        );
      };
      const stdout = new LineSplitter((line) => {
        const address = parseListeningLine(line);
        if (address && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(address);
        } else if (!settled) {
          remember(line);
        }
      });
      const stderr = new LineSplitter(remember);
      child.stdout?.on('data', (chunk) => stdout.push(chunk));
      child.stderr?.on('data', (chunk) => stderr.push(chunk));
      this.exited = new Promise((onExit) => {
        child.on('exit', (code) => {
          this.child = null;
          fail(`exited with code ${code} before it was listening`);
          onExit();
        });
      });
    });
  }

  /**
   * Asks the server to shut down (SIGTERM, graceful) and waits until it has exited, or until
   * `graceMs` passed: quitting must not hang on a stuck child, which dies with main anyway.
   */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.child) return;
    this.child.kill();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.exited, grace]);
    clearTimeout(timer);
  }
}

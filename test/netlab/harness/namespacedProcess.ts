import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A long-running program inside a network namespace (`ip netns exec` execs it, so the child's
 * pid is the program's own). Keeps its output for failure messages and for tests that read what
 * it said.
 */
export class NamespacedProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static spawn(
    name: string,
    namespace: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ): NamespacedProcess {
    const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new NamespacedProcess(name, child);
  }

  /** Everything the program wrote to stdout and stderr so far. */
  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for the program to print a line matching the pattern; fails if it exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running) {
        throw new Error(`${this.name} exited before printing ${pattern}:\n${this.output}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name} did not print ${pattern} in ${timeoutMs} ms:\n${this.output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends the signal and waits for the program to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }
}

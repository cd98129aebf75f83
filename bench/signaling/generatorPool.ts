import { fork, type ChildProcess } from 'node:child_process';
import { processCpuSeconds } from '../abuse/serverUnderTest';
import type { GeneratorCommand, GeneratorReply } from './generatorProtocol';

/** The environment variable that starts this bundle as a generator or the echo server. */
export const ROLE_VARIABLE = 'PARLEY_SIGBENCH_ROLE';

/** Starts this same bundle again as a child process in `role`. */
export function forkRole(role: 'generator' | 'echo'): ChildProcess {
  return fork(__filename, [], {
    env: { ...process.env, [ROLE_VARIABLE]: role },
    execArgv: ['--enable-source-maps'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/**
 * The load generators: several processes, so that no single event loop limits the load. Each
 * command goes to every generator at once and resolves with all their replies.
 */
export class GeneratorPool {
  private constructor(private readonly processes: ChildProcess[]) {}

  static start(count: number): GeneratorPool {
    return new GeneratorPool(Array.from({ length: count }, () => forkRole('generator')));
  }

  get size(): number {
    return this.processes.length;
  }

  /** Sends `commandFor(n)` to generator n; resolves with the replies in order, throws on any failure. */
  async each<K extends GeneratorReply['kind']>(
    commandFor: (n: number) => GeneratorCommand,
  ): Promise<Extract<GeneratorReply, { kind: K }>[]> {
    const replies = await Promise.all(
      this.processes.map(
        (child, n) =>
          new Promise<GeneratorReply>((resolve, reject) => {
            const onExit = (code: number | null) =>
              reject(new Error(`generator ${n} exited (${code}) during a command`));
            child.once('exit', onExit);
            child.once('message', (reply: GeneratorReply) => {
              child.off('exit', onExit);
              resolve(reply);
            });
            child.send(commandFor(n));
          }),
      ),
    );
    const failed = replies.find((reply) => reply.kind === 'failed');
    if (failed) throw new Error(`a generator failed: ${failed.error}`);
    return replies as Extract<GeneratorReply, { kind: K }>[];
  }

  /** CPU seconds used so far by each generator process. */
  cpuSeconds(): number[] {
    return this.processes.map((child) => processCpuSeconds(child.pid!));
  }

  stop(): void {
    for (const child of this.processes) child.kill('SIGKILL');
  }
}

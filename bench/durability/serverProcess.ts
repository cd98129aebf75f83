import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The built server (`node dist/server/main.js`) as a child process on a given data folder. */
export interface ServerProcess {
  wsUrl: string;
  /** The server's own process (not a wrapper's), from its "listening" line. */
  pid: number;
  /** SIGKILL (when still running); resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM to the server itself (a clean stop); resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts the server on any free port and resolves once its "listening" line says where.
 * `wrapper` runs it under another command (`strace -f ...`): the server is then its child.
 */
export async function startServerProcess(
  mainJs: string,
  dataDir: string,
  args: readonly string[] = [],
  wrapper: readonly string[] = [],
): Promise<ServerProcess> {
  const command = [...wrapper, process.execPath, mainJs, '--port', '0', '--data', dataDir, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let serverPid = child.pid;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const wsUrl = await new Promise<string>((resolve, reject) => {
    // Every line is read, so that the log never backs up into the server.
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; wsUrl?: string; pid?: number };
      if (entry.msg === 'listening' && entry.wsUrl) {
        serverPid = entry.pid ?? serverPid;
        resolve(entry.wsUrl);
      }
    });
    void exited.then(() => reject(new Error(`server exited before listening: ${stderr.trim()}`)));
  });
  const pid = serverPid;
  if (pid === undefined) throw new Error('the server process has no pid');
  return {
    wsUrl,
    pid,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
      await exited;
    },
  };
}

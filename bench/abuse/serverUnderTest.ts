import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The real signaling server as a child process (`dist/server/main.js`, built beforehand) on a
 * fresh data folder, listening on a free loopback port. Its log goes to a file in that folder, so
 * that the bench spends no CPU reading it; the log's tail is shown when the server dies.
 */
export class ServerUnderTest {
  private exitedWith: string | null = null;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    private readonly logFile: string,
    readonly wsUrl: string,
  ) {}

  /** `parentDir` holds the data folder: the system's temporary folder unless given. */
  static async start(
    root: string,
    label: string,
    flags: string[],
    parentDir = tmpdir(),
  ): Promise<ServerUnderTest> {
    const dataDir = mkdtempSync(join(parentDir, `parley-abuse-${label}-`));
    const logFile = join(dataDir, 'server.log');
    const log = openSync(logFile, 'a');
    const args = [join(root, 'dist', 'server', 'main.js'), '--port', '0', '--data', dataDir];
    // PARLEY_BENCH_CPU_PROFILE=<folder>: the server writes a V8 CPU profile there when it stops.
    const profileDir = process.env.PARLEY_BENCH_CPU_PROFILE;
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...profile, ...args, ...flags], {
      cwd: root,
      stdio: ['ignore', log, log],
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const wsUrl = listeningUrl(logFile);
      if (wsUrl) {
        const server = new ServerUnderTest(label, child, dataDir, logFile, wsUrl);
        child.once('exit', (code, signal) => {
          server.exitedWith = signal ?? `exit ${code}`;
        });
        return server;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server ${label} did not start:\n${tail(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Throws, with the end of the server's log, once the server has died. */
  assertAlive(during: string): void {
    if (this.exitedWith !== null) {
      throw new Error(
        `the ${this.label} server died (${this.exitedWith}) during ${during}:\n${tail(this.logFile)}`,
      );
    }
  }

  /** Resident memory now (VmRSS), MiB. */
  rssMiB(): number {
    return this.statusKiB('VmRSS') / 1024;
  }

  /** The most resident memory the process ever had (VmHWM), MiB. */
  peakRssMiB(): number {
    return this.statusKiB('VmHWM') / 1024;
  }

  /** CPU time used so far, user + system, seconds. */
  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  async stop(): Promise<void> {
    if (this.exitedWith === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private statusKiB(field: string): number {
    this.assertAlive(`reading ${field}`);
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${this.pid}/status`);
    return Number(match[1]);
  }
}

/** CPU time a process has used so far, user + system, seconds (from /proc/<pid>/stat). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // man proc_pid_stat: after the parenthesised name, utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The `wsUrl` of the server's `"msg":"listening"` JSON line, once it is in the log. */
function listeningUrl(logFile: string): string | null {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"msg":"listening"')) continue;
    const { wsUrl } = JSON.parse(line) as { wsUrl?: string };
    if (wsUrl) return wsUrl;
  }
  return null;
}

function tail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

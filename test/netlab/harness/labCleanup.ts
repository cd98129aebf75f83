import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { run } from './commands';

/**
 * Lab namespaces are named `plab<pid>x<random>-<role>`: the pid of the test process that made
 * them lets a later run remove what a crashed (SIGKILLed) run left behind, and the random part
 * keeps two runs of one process apart. Everything made is torn down by the lab's `tearDown`
 * (afterAll) and, failing that, by its LabReaper.
 */
const NAME = /^plab(\d+)x[0-9a-f]+-/;

export function newRunPrefix(): string {
  return `plab${process.pid}x${randomBytes(2).toString('hex')}`;
}

function namespaces(): string[] {
  try {
    return readdirSync('/run/netns');
  } catch {
    return [];
  }
}

/** Kills every process inside the namespace (all of them started by a lab), then deletes it. */
export function removeNamespace(namespace: string): void {
  let pids: string[] = [];
  try {
    pids = run('ip', ['netns', 'pids', namespace]).split(/\s+/).filter(Boolean);
  } catch {
    // Already gone.
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  try {
    run('ip', ['netns', 'del', namespace]);
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes the namespaces of lab runs whose process no longer exists. */
export function removeStaleNamespaces(): void {
  for (const namespace of namespaces()) {
    const owner = NAME.exec(namespace)?.[1];
    if (owner && Number(owner) !== process.pid && !alive(Number(owner))) {
      removeNamespace(namespace);
    }
  }
}

/**
 * The lab's guarantee of clean-up: a detached shell that waits for its stdin to close, then kills
 * whatever still runs in the lab's namespaces, deletes them and removes the folders it was told
 * of. The test process holds the other end of that pipe, so the reaper acts however that process
 * ends: tear-down, exception, signal or SIGKILL (jest gives tests a sandboxed `process`, whose
 * exit and signal hooks never fire). Its own process group keeps it out of a Ctrl-C or a
 * `timeout` aimed at the test run.
 */
const REAPER = `
folders=""
while IFS= read -r line; do folders="$folders $line"; done
for ns in $(ls /run/netns 2>/dev/null); do
  case "$ns" in
    "$0"-*)
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
      ip netns del "$ns" 2>/dev/null ;;
  esac
done
if [ -n "$folders" ]; then rm -rf $folders; fi
`;

export class LabReaper {
  private constructor(private readonly child: ChildProcess) {}

  /** Reaps the namespaces named `<prefix>-...` once the test process lets go or is gone. */
  static start(prefix: string): LabReaper {
    const child = spawn('sh', ['-c', REAPER, prefix], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // Neither the reaper nor its pipe keeps the test process alive.
    child.unref();
    (child.stdin as Socket).unref();
    return new LabReaper(child);
  }

  /** A folder (no spaces) to remove with the lab. */
  removeFolder(path: string): void {
    this.child.stdin!.write(`${path}\n`);
  }

  /** Lets the reaper run now (after an orderly tear-down it finds little or nothing left). */
  release(): void {
    this.child.stdin!.end();
  }
}

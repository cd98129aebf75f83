import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { run } from './commands';

/**
 * Lab namespaces are named `plab<pid>x<random>-<role>`: the pid of the test process that made
 * them lets a later run remove what a crashed (SIGKILLed) run left behind, and the random part
 * keeps two runs of one process apart. Everything made is torn down by `tearDown` (afterAll) and,
 * failing that, by a process-exit hook.
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

const pendingTearDowns = new Set<() => void>();
let hooked = false;

/**
 * Registers a synchronous tear-down to run at process exit (and on SIGINT/SIGTERM) unless it was
 * run before. Returns the function that runs it now, once.
 */
export function onExitTearDown(tearDown: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', runPendingTearDowns);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runPendingTearDowns();
        process.kill(process.pid, signal);
      });
    }
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    pendingTearDowns.delete(once);
    tearDown();
  };
  pendingTearDowns.add(once);
  return once;
}

function runPendingTearDowns(): void {
  for (const tearDown of [...pendingTearDowns]) tearDown();
}

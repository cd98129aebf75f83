import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface OpenFileLimit {
  soft: number;
  hard: number;
}

/** A process's open-file limit, from /proc/<pid>/limits ("Max open files"). */
export function openFileLimit(pid: number | 'self'): OpenFileLimit {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!match) throw new Error(`no open-file limit in /proc/${pid}/limits`);
  const value = (text: string) => (text === 'unlimited' ? Infinity : Number(text));
  return { soft: value(match[1]!), hard: value(match[2]!) };
}

/**
 * Raises this process's open-file limit (inherited by the server and generators it starts) as far
 * as allowed: as root first to the kernel's fs.nr_open (refused without CAP_SYS_RESOURCE, as in
 * most containers), then the soft limit to the hard one. Uses util-linux `prlimit` (Node cannot
 * set rlimits); returns the limit in force after.
 */
export function raiseOpenFileLimit(): OpenFileLimit {
  const before = openFileLimit('self');
  const kernelMax = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
  const targets = process.getuid?.() === 0 ? [kernelMax, before.hard] : [before.hard];
  for (const target of targets) {
    if (target === Infinity || target <= before.soft) continue;
    const hard = Math.max(target, before.hard);
    try {
      execFileSync('prlimit', [`--pid=${process.pid}`, `--nofile=${target}:${hard}`], {
        stdio: 'ignore',
      });
      break;
    } catch {
      // Not allowed (or no prlimit): try the next, or run under the limit it has, and say so.
    }
  }
  return openFileLimit('self');
}

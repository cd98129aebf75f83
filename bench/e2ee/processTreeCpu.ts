import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

interface ProcessTimes {
  parent: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** Fields after the command name, which is in parentheses and may itself hold spaces. */
function readTimes(pid: number, path = `/proc/${pid}/stat`): ProcessTimes | null {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return null; // gone between listing and reading
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // man proc_pid_stat: state(3) ppid(4) ... utime(14) stime(15); fields[0] is field 3.
  return { parent: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** Every live descendant of `root` (not `root` itself), with its times. */
function descendants(root: number): Map<number, ProcessTimes> {
  const all = new Map<number, ProcessTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = readTimes(Number(entry));
    if (times) all.set(Number(entry), times);
  }
  const inTree = new Map<number, ProcessTimes>();
  // Parents may have higher pids than children after pid wrap: iterate until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, times] of all) {
      if (pid === root || inTree.has(pid)) continue;
      if (times.parent === root || inTree.has(times.parent)) {
        inTree.set(pid, times);
        grew = true;
      }
    }
  }
  return inTree;
}

/**
 * CPU seconds (user + system) used so far by every live descendant of `root`, not `root` itself:
 * for the benchmark's own Node process, that is the Chromium it launched, all its processes.
 */
export function descendantsCpuSeconds(root: number): { seconds: number; processes: number } {
  const tree = descendants(root);
  let ticks = 0;
  for (const times of tree.values()) ticks += times.cpuTicks;
  return { seconds: ticks / TICKS_PER_SECOND, processes: tree.size };
}

/**
 * CPU seconds used so far by the threads of `root`'s descendants whose name (/proc comm, at most
 * 15 characters) matches `name`: Chromium's "DedicatedWorker thread"s hold the E2EE workers.
 */
export function descendantThreadsCpuSeconds(
  root: number,
  name: RegExp,
): { seconds: number; threads: number } {
  let ticks = 0;
  let threads = 0;
  for (const pid of descendants(root).keys()) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone
    }
    for (const tid of tasks) {
      let comm: string;
      try {
        comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (!name.test(comm)) continue;
      const times = readTimes(Number(tid), `/proc/${pid}/task/${tid}/stat`);
      if (!times) continue;
      ticks += times.cpuTicks;
      threads++;
    }
  }
  return { seconds: ticks / TICKS_PER_SECOND, threads };
}

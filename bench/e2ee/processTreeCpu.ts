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
function readTimes(pid: number): ProcessTimes | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone between listing and reading
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // man proc_pid_stat: state(3) ppid(4) ... utime(14) stime(15); fields[0] is field 3.
  return { parent: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/**
 * CPU seconds (user + system) used so far by every live descendant of `root`, not `root` itself:
 * for the benchmark's own Node process, that is the Chromium it launched, all its processes.
 */
export function descendantsCpuSeconds(root: number): { seconds: number; processes: number } {
  const all = new Map<number, ProcessTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = readTimes(Number(entry));
    if (times) all.set(Number(entry), times);
  }
  const inTree = new Set<number>([root]);
  // Parents may have higher pids than children after pid wrap: iterate until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, times] of all) {
      if (!inTree.has(pid) && inTree.has(times.parent)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  inTree.delete(root);
  let ticks = 0;
  for (const pid of inTree) ticks += all.get(pid)!.cpuTicks;
  return { seconds: ticks / TICKS_PER_SECOND, processes: inTree.size };
}

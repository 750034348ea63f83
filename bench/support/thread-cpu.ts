import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of a process's threads from /proc/<pid>/task/<tid>/stat (utime + stime, in clock
 * ticks), with the thread's name (comm): what the kernel charged each thread, whichever
 * library's code it ran.
 */
export interface ThreadCpu {
  readonly pid: number;
  readonly tid: number;
  readonly name: string;
  readonly ticks: number;
}

/** The kernel's clock tick (USER_HZ, usually 100/s) in microseconds. */
export const microsecondsPerTick =
  1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

export function threadsOf(pid: number): ThreadCpu[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // the process has exited: it has no more CPU to count
  }
  return tids.flatMap((tid) => {
    const thread = threadCpu(pid, Number(tid));
    return thread ? [thread] : [];
  });
}

function threadCpu(pid: number, tid: number): ThreadCpu | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  } catch {
    return undefined; // the thread ended between the listing and the read
  }
  // "tid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')');
  const name = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  return { pid, tid, name, ticks: Number(fields[11]) + Number(fields[12]) };
}

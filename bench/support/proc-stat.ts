/**
 * CPU time of processes and threads from /proc (Linux; USER_HZ = 100), for the benches: a worker's, one of its
 * threads', and a process tree's (a Postgres server with its backends).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime of a process (all its threads) in seconds, from /proc/<pid>/stat (USER_HZ = 100); NaN when gone. */
export function cpuSeconds(pid: number): number {
  return statSeconds(`/proc/${pid}/stat`, false);
}

/** utime + stime of one thread of a process (tid = pid: its main thread, where a Node worker's event loop runs). */
export function threadCpuSeconds(pid: number, tid: number): number {
  return statSeconds(`/proc/${pid}/task/${tid}/stat`, false);
}

/**
 * The CPU seconds of a process and of all its children, exited or alive: its own, its reaped children's (cutime +
 * cstime), and each live child's likewise. For a Postgres server (the postmaster's pid): every backend, the WAL writer
 * and the checkpointer. Taken before and after a run, the difference is what the server spent on it — a backend that
 * exits in between counts through the postmaster's cutime once reaped. NaN when the process is gone.
 */
export function treeCpuSeconds(pid: number): number {
  const own = statSeconds(`/proc/${pid}/stat`, true);
  if (Number.isNaN(own)) return NaN;
  let total = own;
  for (const child of childrenOf(pid)) {
    const c = treeCpuSeconds(child);
    if (!Number.isNaN(c)) total += c;
  }
  return total;
}

/** The live children of a process (by their parent pid in /proc/<pid>/stat). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && Number(statFields(`/proc/${entry}/stat`)?.[1]) === pid) out.push(Number(entry));
  }
  return out;
}

/** Fields 14–15 (utime, stime) of a stat file, and with `reaped` 16–17 (cutime, cstime), in seconds. */
function statSeconds(path: string, reaped: boolean): number {
  const fields = statFields(path);
  if (fields === undefined) return NaN;
  const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / 100;
}

/** The fields of a stat file after the command name (field 3, the state, first); undefined when the process is gone. */
function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * Who holds the apply lease, and when a holder is provably gone: same host, and no process with the holder's pid. Such
 * a lease is taken over at once instead of blocking every apply for its TTL (see apply-lock.ts). The rules are pure
 * given the host name and a process probe; the defaults read this machine.
 */
import { hostname, userInfo } from 'node:os';

/** `user@host pid N`: who holds the lease, as other applies (and people) read it. */
export function leaseHolder(pid = process.pid, host = hostname()): string {
  return `${safeUser()}@${host} pid ${pid}`;
}

/** The host and pid of a holder string written by leaseHolder, or undefined for any other form. */
export function parseHolder(holder: string): { host: string; pid: number } | undefined {
  const m = /^.*@([^@\s]+) pid (\d+)$/.exec(holder);
  if (!m) return undefined;
  const pid = Number(m[2]);
  return Number.isSafeInteger(pid) && pid > 0 ? { host: m[1]!, pid } : undefined;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why `holder` is known to be gone (same host, no such process), or undefined when it may still be running — another
 * host, a holder string in another form, or a live pid (possibly a reused one: then we wait, as before).
 */
export function goneHolder(holder: string, host = hostname(), exists = processExists): string | undefined {
  const h = parseHolder(holder);
  if (!h || h.host !== host || h.pid === process.pid) return undefined;
  return exists(h.pid) ? undefined : `no process ${h.pid} runs on this host (${host})`;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

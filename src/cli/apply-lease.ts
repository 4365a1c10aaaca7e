/**
 * The apply lease from the CLI's side: take it (waiting up to --lock-timeout), renew it while apply runs, release it.
 * A lease whose holder is provably gone — same host, and no process with the holder's pid — is taken over at once
 * instead of blocking every apply for its TTL. That is decided here, client-side, with the lease routes every runtime
 * already serves (release as the old holder, then acquire), so it works alike with the standalone lease store and the
 * distributed lease topic: both release only for the holder named, so two applies that race for a stale lease still
 * exclude each other.
 */
import { hostname, userInfo } from 'node:os';
import type { RestHerder } from '../herder/rest-client.js';
import { LeaseHeldError } from '../herder/rest-errors.js';
import type { ApplyView } from './apply-view.js';
import { describeError } from './plan-options.js';
import { SessionError } from './session-errors.js';

export const LEASE = 'apply';
export const LEASE_TTL_MS = 60_000;

export interface HeldLock {
  acquiredAfterWait: boolean;
  release(): Promise<void>;
}

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

/**
 * Takes the runtime's apply lease, renewing it while the apply runs. A runtime without leases (Apache Kafka Connect)
 * cannot be locked: apply warns and goes on. Rejects with LeaseHeldError once `timeoutMs` has passed while another
 * live apply holds it, and SessionError (PIPECTL_RUNTIME_ERROR) for any other failure.
 */
export async function acquireLock(herder: RestHerder, timeoutMs: number, view: ApplyView): Promise<HeldLock> {
  if (!(await herder.supportsLeases())) {
    view.note('Warning: this runtime has no apply lease (e.g. Apache Kafka Connect); concurrent applies are not prevented.');
    return { acquiredAfterWait: false, release: async () => undefined };
  }
  const holder = leaseHolder();
  const deadline = Date.now() + timeoutMs;
  const takenOver = new Set<string>();
  let waited = false;
  for (;;) {
    try {
      await herder.acquireLease(LEASE, holder, LEASE_TTL_MS);
      break;
    } catch (e) {
      const gone = e instanceof LeaseHeldError && e.holder !== undefined && !takenOver.has(e.holder) ? goneHolder(e.holder) : undefined;
      if (gone && e instanceof LeaseHeldError && e.holder !== undefined) {
        takenOver.add(e.holder);
        view.note(`The apply lease is held by "${e.holder}", which is gone (${gone}): taking it over.`, { lease_holder: e.holder });
        await herder.releaseLease(LEASE, e.holder).catch(() => undefined); // someone else may have been quicker: fine
        continue;
      }
      if (Date.now() >= deadline) {
        // Only a 409 means another apply; anything else (e.g. a distributed worker that cannot reach its lease topic) is said as is.
        if (e instanceof LeaseHeldError) throw new LeaseHeldError(`another apply is running: ${describeError(e)} (use --lock-timeout to wait for it)`, e.holder, e.expiresAt);
        throw new SessionError('PIPECTL_RUNTIME_ERROR', `cannot take the apply lease: ${describeError(e)}`);
      }
      waited = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const renew = setInterval(() => void herder.renewLease(LEASE, holder, LEASE_TTL_MS).catch(() => undefined), LEASE_TTL_MS / 3);
  renew.unref();
  return {
    acquiredAfterWait: waited,
    release: async () => {
      clearInterval(renew);
      await herder.releaseLease(LEASE, holder).catch(() => undefined);
    },
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * An AppCDS archive of the broker's classes, made once per (JVM, jar set) and kept in the jar cache: with it the
 * broker is ready in about half the time (measured 2.4 s → 1.2 s on a 2-core machine, Java 17).
 *
 * The first broker started without an archive is launched with `-XX:ArchiveClassesAtExit` (the dump costs a few
 * seconds when it stops) and the archive is renamed into place after a clean exit. A lock file lets only one broker
 * at a time dump; others run without CDS. A stale or mismatched archive is harmless: the JVM (with the default
 * -Xshare:auto) ignores what it cannot map.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './processes.js';

export interface CdsPlan {
  /** JVM options to add. */
  jvmArgs: string[];
  /** Call after the JVM exited; `clean` when it stopped through SIGTERM or exited 0 (not SIGKILL). */
  finish(clean: boolean): void;
}

/** Decides how the next JVM uses CDS. `dump` false (e.g. a broker that outlives this process) only uses an archive. */
export function planClassDataSharing(cacheDir: string, java: string, classpath: readonly string[], dump: boolean): CdsPlan {
  const none: CdsPlan = { jvmArgs: [], finish: () => {} };
  let key: string;
  try {
    const real = realpathSync(java);
    const st = statSync(real);
    key = createHash('sha256').update(`${real}\0${st.size}\0${st.mtimeMs}\0${classpath.join('\0')}`).digest('hex').slice(0, 16);
  } catch {
    return none;
  }
  const dir = join(cacheDir, 'cds');
  const archive = join(dir, `kafka-${key}.jsa`);
  if (existsSync(archive)) return { jvmArgs: [`-XX:SharedArchiveFile=${archive}`, '-Xlog:cds=off'], finish: () => {} };
  if (!dump) return none;
  const lock = `${archive}.lock`;
  try {
    mkdirSync(dir, { recursive: true });
    if (!takeLock(lock)) return none;
  } catch {
    return none;
  }
  const tmp = `${archive}.${process.pid}.tmp`;
  return {
    jvmArgs: [`-XX:ArchiveClassesAtExit=${tmp}`, '-Xlog:cds=off'],
    finish: (clean) => {
      try {
        if (clean && existsSync(tmp) && statSync(tmp).size > 0) renameSync(tmp, archive);
      } catch {
        // keep running without an archive
      } finally {
        rmSync(tmp, { force: true });
        rmSync(lock, { force: true });
      }
    },
  };
}

/** Creates `lock` holding this pid; takes over a lock whose holder is dead. */
function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      const holder = Number(readFileSync(lock, 'utf8'));
      // An empty lock is being written right now; a live holder is dumping.
      if (!Number.isInteger(holder) || holder <= 0 || isProcessAlive(holder)) return false;
      rmSync(lock, { force: true });
      rmSync(lock.replace(/\.lock$/, `.${holder}.tmp`), { force: true });
    }
  }
  return false;
}

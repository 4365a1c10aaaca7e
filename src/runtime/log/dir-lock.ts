/**
 * An advisory lock on the log directory: `<dir>/.lock` holds the owner's pid. A lock whose pid is no longer running
 * (the owner was killed) is taken over. Two processes racing for a stale lock, or a recycled pid, are not handled —
 * the lock guards against the common mistake of starting two workers on one directory.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LogError } from './log-error.js';

export interface DirLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock; throws LogError(PIPECTL_LOG_LOCKED) when a live process (this one included) holds it. */
export async function acquireDirLock(dir: string): Promise<DirLock> {
  const path = join(dir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new LogError('PIPECTL_LOG_LOCKED', `${dir} is in use by process ${pid}${pid === process.pid ? ' (this process)' : ''}`);
    }
    await unlink(path).catch(() => undefined);
  }
}

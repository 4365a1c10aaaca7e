/**
 * Which OS account runs initdb and postgres. PostgreSQL refuses to run as root ("root" execution of the PostgreSQL
 * server is not permitted), and CI runs as root: then both run as the `postgres` system user that Debian's package
 * creates, through spawn's uid/gid (no su/runuser wrapper between this process and the postmaster, so its pid is the
 * server's and signals reach it directly; Node drops the supplementary groups). As any other user they run as that user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DevToolsError } from './dev-errors.js';

/** The account PostgreSQL runs as when this process is root. */
export const POSTGRES_SYSTEM_USER = 'postgres';

export interface PostgresAccount {
  name: string;
  uid: number;
  gid: number;
}

/**
 * null when this process may run PostgreSQL itself (it is not root); else the `postgres` system user. Throws
 * PIPECTL_DEV_POSTGRES_ACCOUNT when this process is root and there is no such user.
 */
export function postgresAccount(uid = process.getuid?.() ?? -1): PostgresAccount | null {
  if (uid !== 0) return null;
  let entry = '';
  try {
    entry = execFileSync('getent', ['passwd', POSTGRES_SYSTEM_USER], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    // no such user (getent exits 2), or no getent
  }
  const [name, , uidText, gidText] = entry.split(':');
  if (name !== POSTGRES_SYSTEM_USER || !uidText || !gidText) {
    throw new DevToolsError('PIPECTL_DEV_POSTGRES_ACCOUNT', `running as root, and PostgreSQL refuses to run as root: there is no "${POSTGRES_SYSTEM_USER}" user to run it as (Debian's postgresql package creates one; or run pipectl as another user)`);
  }
  return { name, uid: Number(uidText), gid: Number(gidText) };
}

/** Whether `account` can enter folder `dir` (its owner, group or other execute bit; supplementary groups not counted). */
function canEnter(dir: string, account: PostgresAccount): boolean {
  const s = statSync(dir);
  if (s.uid === account.uid) return (s.mode & 0o100) !== 0;
  if (s.gid === account.gid) return (s.mode & 0o010) !== 0;
  return (s.mode & 0o001) !== 0;
}

/**
 * Hands the server's folder to `account`: checks that it can reach the folder through every parent, then makes it
 * the folder's owner (the folder itself, not what is in it). Throws PIPECTL_DEV_POSTGRES_ACCOUNT naming the parent it
 * cannot enter (e.g. a data folder under /root).
 */
export function handOverFolder(dir: string, account: PostgresAccount): void {
  const full = resolve(dir);
  for (let parent = dirname(full); ; parent = dirname(parent)) {
    if (!canEnter(parent, account)) {
      throw new DevToolsError('PIPECTL_DEV_POSTGRES_ACCOUNT', `PostgreSQL runs as the "${account.name}" user here (this process is root), and that user cannot enter ${parent}: choose a --data-dir whose parent folders it can enter (not under a private folder such as /root), or run pipectl as another user`);
    }
    if (parent === dirname(parent)) break;
  }
  chownSync(full, account.uid, account.gid);
}

/**
 * Finding PostgreSQL's server programs (`initdb`, `postgres`, and `psql` beside them). Debian's `postgresql` package
 * puts them in /usr/lib/postgresql/<major>/bin, which is not on PATH; Homebrew and most other systems put them on
 * PATH. Order: an explicit folder, then the newest /usr/lib/postgresql/<major>/bin that has both programs, then PATH.
 * A PATH entry that is a symlink into a Debian folder (as /usr/local/bin/initdb is on some machines) is the same
 * program found second.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DevToolsError } from './dev-errors.js';
import { findOnPath } from './executables.js';

/** Where Debian (and Ubuntu) install each major version's programs. */
export const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

export interface PostgresBinaries {
  /** The folder holding initdb and postgres. */
  binDir: string;
  initdb: string;
  postgres: string;
  /** psql in binDir (Debian) or on PATH; null when there is none (only tests and users need it). */
  psql: string | null;
  /** e.g. "15.18", from `postgres --version`. */
  version: string;
  major: number;
  /** How binDir was found. */
  source: 'explicit' | 'debian' | 'path';
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The /usr/lib/postgresql/<major>/bin folders that hold initdb and postgres, newest major first. */
export function debianBinDirs(root = DEBIAN_POSTGRES_ROOT): string[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+(\.\d+)?$/.test(e))
    .sort((a, b) => Number(b) - Number(a))
    .map((e) => join(root, e, 'bin'))
    .filter((dir) => executable(join(dir, 'initdb')) && executable(join(dir, 'postgres')));
}

/**
 * The PostgreSQL programs to run. Throws PIPECTL_DEV_POSTGRES_MISSING (saying how to install them) when there are
 * none, or when `binDir` lacks initdb or postgres.
 */
export function findPostgresBinaries(options: { binDir?: string; debianRoot?: string; env?: NodeJS.ProcessEnv } = {}): PostgresBinaries {
  const env = options.env ?? process.env;
  let binDir: string;
  let source: PostgresBinaries['source'];
  if (options.binDir) {
    if (!executable(join(options.binDir, 'initdb')) || !executable(join(options.binDir, 'postgres'))) {
      throw new DevToolsError('PIPECTL_DEV_POSTGRES_MISSING', `${options.binDir} has no initdb and postgres programs`);
    }
    [binDir, source] = [options.binDir, 'explicit'];
  } else {
    const debian = debianBinDirs(options.debianRoot)[0];
    const onPath = debian ? null : findOnPath('initdb', env);
    if (debian) [binDir, source] = [debian, 'debian'];
    else if (onPath && executable(join(dirname(realpathSync(onPath)), 'postgres'))) [binDir, source] = [dirname(realpathSync(onPath)), 'path'];
    else {
      throw new DevToolsError('PIPECTL_DEV_POSTGRES_MISSING', `PostgreSQL's initdb was found neither in ${options.debianRoot ?? DEBIAN_POSTGRES_ROOT}/<version>/bin nor on PATH: install it (Debian/Ubuntu: "apt-get install postgresql"; macOS: "brew install postgresql")`);
    }
  }
  const postgres = join(binDir, 'postgres');
  let versionText: string;
  try {
    versionText = execFileSync(postgres, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  } catch (e) {
    throw new DevToolsError('PIPECTL_DEV_POSTGRES_MISSING', `${postgres} --version failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const version = /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(versionText)?.[1] ?? '';
  const major = Number(version.split('.')[0]);
  if (!major) throw new DevToolsError('PIPECTL_DEV_POSTGRES_MISSING', `${postgres} --version printed no PostgreSQL version: ${versionText.trim()}`);
  const psql = executable(join(binDir, 'psql')) ? join(binDir, 'psql') : findOnPath('psql', env);
  return { binDir, initdb: join(binDir, 'initdb'), postgres, psql, version, major, source };
}

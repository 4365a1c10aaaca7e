/**
 * Who runs `pipectl apply` and from which commit, for the stamp apply leaves on the connectors it creates or changes
 * (plan/applied-stamp.ts). Read once per apply; every failure (no git, not a checkout) only leaves the commit out.
 *
 * - by: PIPECTL_APPLIED_BY when set (a CI job can name the pull request's author), else the CI's actor
 *   (GITHUB_ACTOR, GITLAB_USER_LOGIN), else `user@host`.
 * - commit: `git rev-parse HEAD` of the checkout holding the pipeline files, with `-dirty` (as `git describe --dirty`
 *   says it) when those files differ from that commit, so a stamp never claims a commit the config did not come from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { ApplyProvenance } from '../plan/applied-stamp.js';

const GIT_TIMEOUT_MS = 10_000;

export function readApplyProvenance(paths: readonly string[], env: NodeJS.ProcessEnv = process.env): ApplyProvenance {
  const commit = gitCommit(paths);
  return { by: applier(env), ...(commit ? { commit } : {}) };
}

/** At most this many characters of who applied (it goes into every config apply changes, and into status's table). */
const MAX_APPLIER_LENGTH = 200;

function applier(env: NodeJS.ProcessEnv): string {
  for (const key of ['PIPECTL_APPLIED_BY', 'GITHUB_ACTOR', 'GITLAB_USER_LOGIN']) {
    // Control characters (a newline would break status's table and the web view's line) become spaces.
    const v = env[key]?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_APPLIER_LENGTH);
    if (v) return v;
  }
  let user = env['USER'] ?? env['USERNAME'] ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (a container): the environment's name, if any.
  }
  return `${user}@${hostname()}`;
}

function gitCommit(paths: readonly string[]): string | undefined {
  const first = resolve(paths[0] ?? '.');
  const dir = existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
  const git = (...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', timeout: GIT_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--verify', 'HEAD');
    if (!/^[0-9a-f]{40,64}$/.test(head)) return undefined;
    const changed = git('status', '--porcelain', '--', ...paths.map((p) => resolve(p)));
    return changed === '' ? head : `${head}-dirty`;
  } catch {
    return undefined;
  }
}

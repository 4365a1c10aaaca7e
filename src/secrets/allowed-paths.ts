/**
 * `allowed.paths` of the file and directory providers (KIP-993, Connect's AllowedPaths): a comma-separated list of
 * absolute, existing paths. A referenced path is allowed when, once normalised (`.` and `..` removed, lexically, as
 * Java's Path.normalize does; symbolic links are not resolved), it is one of them or lies below one of them, compared
 * by whole path components (`/etc/app` does not allow `/etc/apps`). Without the param every path is allowed.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, normalize, sep } from 'node:path';
import { SecretsConfigError } from './config-provider.js';

export const ALLOWED_PATHS_PARAM = 'allowed.paths';

function withoutTrailingSep(p: string): string {
  return p.length > 1 && p.endsWith(sep) ? p.slice(0, -1) : p;
}

export class AllowedPaths {
  /** null: no restriction. */
  private readonly roots: readonly string[] | null;

  /**
   * Parses the param value (undefined or "" means unrestricted). Throws SecretsConfigError, with Connect's messages,
   * when an entry is not absolute or does not exist.
   */
  constructor(value: string | undefined) {
    if (value === undefined || value === '') {
      this.roots = null;
      return;
    }
    this.roots = value.split(',').map((entry) => {
      const p = withoutTrailingSep(normalize(entry.trim() || '.'));
      if (!isAbsolute(p)) throw new SecretsConfigError(`Path ${entry.trim()} is not absolute`);
      if (!existsSync(p)) throw new SecretsConfigError(`Path ${p} does not exist`);
      return p;
    });
  }

  /** The path to open, or null when `path` is outside every allowed path (relative paths always are). */
  parseUntrustedPath(path: string): string | null {
    if (this.roots === null) return path;
    const p = withoutTrailingSep(normalize(path));
    if (!isAbsolute(p)) return null;
    const inside = this.roots.some((root) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep));
    return inside ? p : null;
  }
}

/**
 * Kafka Connect's DirectoryConfigProvider: `${directory:/path/to/dir:filename}` is the whole content (UTF-8) of the
 * regular file `filename` in that directory — the layout of Kubernetes secret volumes. A key is a file name, never a
 * path: `a/b` or `..` find nothing, as in Connect (which matches keys against the directory's listing). Symbolic links
 * to regular files are followed, as Java's Files.isRegularFile does. The param `allowed.paths` restricts directories.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOWED_PATHS_PARAM, AllowedPaths } from './allowed-paths.js';
import type { ConfigData, ConfigProvider } from './config-provider.js';
import { ConfigProviderError, refused } from './config-provider.js';

function isPlainFileName(key: string): boolean {
  return key !== '' && key !== '.' && key !== '..' && !/[/\\\0]/.test(key);
}

export class DirectoryConfigProvider implements ConfigProvider {
  private readonly allowed: AllowedPaths;

  /** Throws SecretsConfigError when `allowed.paths` names a relative or missing path. */
  constructor(params: Readonly<Record<string, string>>) {
    this.allowed = new AllowedPaths(params[ALLOWED_PATHS_PARAM]);
  }

  /**
   * The contents of the files named by `keys` in the directory `path`. An empty path gives no data; a path outside
   * `allowed.paths`, or that is not a directory, gives no data and says why (Connect logs a warning for both).
   * Throws ConfigProviderError when a matching file exists but cannot be read.
   */
  get(path: string, keys: ReadonlySet<string>): ConfigData {
    if (path === '') return { data: new Map() };
    const dir = this.allowed.parseUntrustedPath(path);
    if (dir === null) return refused(keys, `the path ${path} is outside ${ALLOWED_PATHS_PARAM} of the directory config provider`);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return refused(keys, `the path ${path} is not a directory`);
    const data = new Map<string, string>();
    const missingReasons = new Map<string, string>();
    for (const key of keys) {
      const file = join(dir, key);
      if (!isPlainFileName(key) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
        missingReasons.set(key, `the directory ${path} has no file "${key}"`);
        continue;
      }
      try {
        data.set(key, readFileSync(file, 'utf8'));
      } catch (e) {
        throw new ConfigProviderError(`Could not read file ${file} for property ${key} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    return { data, missingReasons };
  }
}

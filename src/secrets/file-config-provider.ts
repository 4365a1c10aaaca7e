/**
 * Kafka Connect's FileConfigProvider: `${file:/path/to/file.properties:key}` is `key` of a Java properties file,
 * read (UTF-8) at every lookup. The param `allowed.paths` restricts which files may be read (see AllowedPaths).
 */
import { readFileSync } from 'node:fs';
import { parseProperties } from '../runtime/config/properties.js';
import { ALLOWED_PATHS_PARAM, AllowedPaths } from './allowed-paths.js';
import type { ConfigData, ConfigProvider } from './config-provider.js';
import { ConfigProviderError, refused } from './config-provider.js';

export class FileConfigProvider implements ConfigProvider {
  private readonly allowed: AllowedPaths;

  /** Throws SecretsConfigError when `allowed.paths` names a relative or missing path. */
  constructor(params: Readonly<Record<string, string>>) {
    this.allowed = new AllowedPaths(params[ALLOWED_PATHS_PARAM]);
  }

  /**
   * The requested keys of the file at `path`. An empty path gives no data; a path outside `allowed.paths` gives no data
   * and says why. Throws ConfigProviderError when the file cannot be read or is not a valid properties file.
   */
  get(path: string, keys: ReadonlySet<string>): ConfigData {
    if (path === '') return { data: new Map() };
    const file = this.allowed.parseUntrustedPath(path);
    if (file === null) return refused(keys, `the path ${path} is outside ${ALLOWED_PATHS_PARAM} of the file config provider`);
    let properties: Record<string, string>;
    try {
      properties = parseProperties(readFileSync(file, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigProviderError(`Could not read properties from file ${path}${code ? ` (${code})` : `: ${(e as Error).message}`}`);
    }
    const data = new Map<string, string>();
    const missingReasons = new Map<string, string>();
    for (const key of keys) {
      if (Object.hasOwn(properties, key)) data.set(key, properties[key]!);
      else missingReasons.set(key, `the file ${path} has no key "${key}"`);
    }
    return { data, missingReasons };
  }
}

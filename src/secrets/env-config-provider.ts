/**
 * Kafka Connect's EnvVarConfigProvider (KIP-887): `${env:NAME}` is the environment variable NAME. The param
 * `allowlist.pattern` is a regular expression a variable's whole name must match to be visible (default `.*`); the
 * environment is read once, when the provider is created. A reference with a path (`${env:x:NAME}`) is an error.
 */
import type { ConfigData, ConfigProvider, ConfigProviderContext } from './config-provider.js';
import { ConfigProviderError, SecretsConfigError } from './config-provider.js';

export const ENV_ALLOWLIST_PATTERN_PARAM = 'allowlist.pattern';

export class EnvVarConfigProvider implements ConfigProvider {
  private readonly visible = new Map<string, string>();
  /** Names that exist but are hidden by the allowlist (to explain a miss without revealing anything). */
  private readonly hidden = new Set<string>();
  private readonly pattern: string | undefined;

  /**
   * Throws SecretsConfigError when `allowlist.pattern` is not a valid regular expression. The pattern is a JavaScript
   * regular expression, which agrees with Java's for the usual allowlists (alternations, classes, anchors).
   */
  constructor(params: Readonly<Record<string, string>>, context: ConfigProviderContext) {
    this.pattern = params[ENV_ALLOWLIST_PATTERN_PARAM];
    let allow: RegExp;
    try {
      allow = new RegExp(`^(?:${this.pattern ?? '.*'})$`);
    } catch (e) {
      throw new SecretsConfigError(`Invalid ${ENV_ALLOWLIST_PATTERN_PARAM} for the env config provider: ${(e as Error).message}`);
    }
    for (const [name, value] of Object.entries(context.env)) {
      if (value === undefined) continue;
      if (allow.test(name)) this.visible.set(name, value);
      else this.hidden.add(name);
    }
  }

  /** Throws ConfigProviderError when `path` is not empty, as Connect does. */
  get(path: string, keys: ReadonlySet<string>): ConfigData {
    if (path !== '') throw new ConfigProviderError(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`);
    const data = new Map<string, string>();
    const missingReasons = new Map<string, string>();
    for (const key of keys) {
      const value = this.visible.get(key);
      if (value !== undefined) data.set(key, value);
      else if (this.hidden.has(key)) missingReasons.set(key, `environment variable ${key} does not match ${ENV_ALLOWLIST_PATTERN_PARAM} "${this.pattern}"`);
      else missingReasons.set(key, `environment variable ${key} is not set`);
    }
    return { data, missingReasons };
  }
}

/**
 * The config-provider contract (Kafka Connect's ConfigProvider, reduced to what the transformer uses): given a path
 * and a set of keys, return the values found. Providers are synchronous because references are resolved only when a
 * connector or task starts, from local sources (environment, files).
 */

/** What a provider found for one path. */
export interface ConfigData {
  /** Values by key; a key that was not found is absent. */
  data: ReadonlyMap<string, string>;
  /**
   * Why particular keys are absent, when the provider can say more than "not found" (e.g. the path is outside
   * `allowed.paths`). A reason never contains a value.
   */
  missingReasons?: ReadonlyMap<string, string>;
}

export interface ConfigProvider {
  /**
   * The values of `keys` at `path` ("" when the reference has no path). Throws ConfigProviderError where Connect's
   * provider throws a ConfigException (e.g. a file that cannot be read); the message names paths, never values.
   */
  get(path: string, keys: ReadonlySet<string>): ConfigData;
}

/** No data for any of `keys`, all for the same reason (a refused or unusable path). */
export function refused(keys: ReadonlySet<string>, reason: string): ConfigData {
  return { data: new Map(), missingReasons: new Map([...keys].map((k) => [k, reason])) };
}

/** Builds a provider from its `config.providers.<name>.param.*` values. Throws SecretsConfigError on bad params. */
export type ConfigProviderFactory = (params: Readonly<Record<string, string>>, context: ConfigProviderContext) => ConfigProvider;

export interface ConfigProviderContext {
  /** The environment the env provider reads (process.env unless a test injects one). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A lookup failed at resolution time (Connect's ConfigException from ConfigProvider.get). */
export class ConfigProviderError extends Error {
  readonly code = 'PIPECTL_SECRETS_LOOKUP_FAILED';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigProviderError';
  }
}

/** The worker's `config.providers*` settings are unusable (Connect fails the worker at startup for these). */
export class SecretsConfigError extends Error {
  readonly code = 'PIPECTL_SECRETS_INVALID_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'SecretsConfigError';
  }
}

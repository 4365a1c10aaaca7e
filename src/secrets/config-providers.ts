/**
 * Reads the worker's config-provider settings, as Connect's AbstractConfig.instantiateConfigProviders does:
 *
 *     config.providers=env,file,directory
 *     config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
 *     config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
 *     config.providers.file.param.allowed.paths=/etc/pipectl/secrets
 *     config.providers.directory.class=DirectoryConfigProvider
 *
 * A class is given by Connect's full class name, its simple name, the simple name without "ConfigProvider"
 * (`EnvVar`, `File`, `Directory`), or `env` / `file` / `directory`. Unlike Connect, which silently skips a listed
 * provider without a `.class`, that is an error here: it is always a mistake.
 */
import type { ConfigProvider, ConfigProviderContext, ConfigProviderFactory } from './config-provider.js';
import { SecretsConfigError } from './config-provider.js';
import { DirectoryConfigProvider } from './directory-config-provider.js';
import { EnvVarConfigProvider } from './env-config-provider.js';
import { FileConfigProvider } from './file-config-provider.js';

export const CONFIG_PROVIDERS_CONFIG = 'config.providers';
const PACKAGE = 'org.apache.kafka.common.config.provider';
export const ENV_CONFIG_PROVIDER_CLASS = `${PACKAGE}.EnvVarConfigProvider`;
export const FILE_CONFIG_PROVIDER_CLASS = `${PACKAGE}.FileConfigProvider`;
export const DIRECTORY_CONFIG_PROVIDER_CLASS = `${PACKAGE}.DirectoryConfigProvider`;

/** `${var:…}` belongs to pipectl's spec variables, substituted when files are loaded; no provider may take the name. */
export const RESERVED_PROVIDER_NAMES: readonly string[] = ['var'];

const BUILT_IN: readonly { className: string; shortNames: string[]; create: ConfigProviderFactory }[] = [
  { className: ENV_CONFIG_PROVIDER_CLASS, shortNames: ['EnvVarConfigProvider', 'EnvVar', 'env'], create: (p, c) => new EnvVarConfigProvider(p, c) },
  { className: FILE_CONFIG_PROVIDER_CLASS, shortNames: ['FileConfigProvider', 'File', 'file'], create: (p) => new FileConfigProvider(p) },
  { className: DIRECTORY_CONFIG_PROVIDER_CLASS, shortNames: ['DirectoryConfigProvider', 'Directory', 'directory'], create: (p) => new DirectoryConfigProvider(p) },
];

export interface ConfigProviderOptions {
  /** The environment for the env provider; default process.env (read once, when providers are created). */
  env?: Readonly<Record<string, string | undefined>>;
  /** More provider classes, by the exact class name used in `config.providers.<name>.class`. */
  factories?: Readonly<Record<string, ConfigProviderFactory>>;
}

/** The `config.providers.<name>.param.*` entries of a provider, without their prefix. */
export function providerParams(workerConfig: Readonly<Record<string, string>>, name: string): Record<string, string> {
  const prefix = `${CONFIG_PROVIDERS_CONFIG}.${name}.param.`;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(workerConfig)) if (k.startsWith(prefix) && k.length > prefix.length) params[k.slice(prefix.length)] = v;
  return params;
}

function factoryFor(className: string, options: ConfigProviderOptions): ConfigProviderFactory | undefined {
  const extra = options.factories?.[className];
  if (extra) return extra;
  return BUILT_IN.find((b) => b.className === className || b.shortNames.includes(className))?.create;
}

/**
 * The configured providers by name (empty when `config.providers` is absent or blank). Names are trimmed; empty
 * names are skipped. Throws SecretsConfigError when a name is reserved or repeated, its `.class` is missing or
 * unknown, or the provider rejects its params (e.g. an `allowed.paths` entry that does not exist).
 */
export function loadConfigProviders(workerConfig: Readonly<Record<string, string>>, options: ConfigProviderOptions = {}): Map<string, ConfigProvider> {
  const providers = new Map<string, ConfigProvider>();
  const list = workerConfig[CONFIG_PROVIDERS_CONFIG] ?? '';
  const context: ConfigProviderContext = { env: options.env ?? process.env };
  for (const name of list.split(',').map((n) => n.trim()).filter(Boolean)) {
    if (RESERVED_PROVIDER_NAMES.includes(name)) throw new SecretsConfigError(`${CONFIG_PROVIDERS_CONFIG}: "${name}" is reserved for pipectl's \${${name}:…} variables`);
    if (providers.has(name)) throw new SecretsConfigError(`${CONFIG_PROVIDERS_CONFIG}: "${name}" is listed twice`);
    const classKey = `${CONFIG_PROVIDERS_CONFIG}.${name}.class`;
    const className = workerConfig[classKey]?.trim();
    if (!className) throw new SecretsConfigError(`${classKey} is required because ${CONFIG_PROVIDERS_CONFIG} lists "${name}"`);
    const create = factoryFor(className, options);
    if (!create) {
      const known = BUILT_IN.map((b) => b.className).join(', ');
      throw new SecretsConfigError(`${classKey}=${className}: unknown config provider class; available: ${known}`);
    }
    try {
      providers.set(name, create(providerParams(workerConfig, name), context));
    } catch (e) {
      throw e instanceof SecretsConfigError ? new SecretsConfigError(`config provider "${name}": ${e.message}`) : e;
    }
  }
  return providers;
}

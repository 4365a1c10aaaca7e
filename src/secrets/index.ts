/** Secrets by reference: config providers, the config transformer, and redaction helpers (see README.md). */
export { AllowedPaths, ALLOWED_PATHS_PARAM } from './allowed-paths.js';
export { ConfigProviderError, SecretsConfigError } from './config-provider.js';
export type { ConfigData, ConfigProvider, ConfigProviderContext, ConfigProviderFactory } from './config-provider.js';
export {
  CONFIG_PROVIDERS_CONFIG,
  DIRECTORY_CONFIG_PROVIDER_CLASS,
  ENV_CONFIG_PROVIDER_CLASS,
  FILE_CONFIG_PROVIDER_CLASS,
  loadConfigProviders,
  providerParams,
  RESERVED_PROVIDER_NAMES,
} from './config-providers.js';
export type { ConfigProviderOptions } from './config-providers.js';
export { createConfigTransformer, transformWith } from './config-transformer.js';
export type { ConfigTransformer, TransformResult } from './config-transformer.js';
export { DirectoryConfigProvider } from './directory-config-provider.js';
export { ENV_ALLOWLIST_PATTERN_PARAM, EnvVarConfigProvider } from './env-config-provider.js';
export { FileConfigProvider } from './file-config-provider.js';
export { CLIENT_PASSWORD_KEYS, collectSecretValues, HIDDEN, isClientPasswordKey, redact, redactConfig, sensitiveKeys, sensitiveValues } from './redaction.js';
export { findReferences, hasReference, REFERENCE_PATTERN_SOURCE } from './reference-pattern.js';
export type { SecretReference } from './reference-pattern.js';
export { maskUrlPasswords, urlPasswords, urlPasswordValues } from './url-credentials.js';

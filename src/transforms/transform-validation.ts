/**
 * Validation of a connector's `transforms.*` and `predicates.*` keys on their own (the chain builder's check), against
 * a transformation registry; the bundled transformations by default. The keys' definition is the contract's
 * (src/plugins/transform-alias-config.ts), the same one PluginRegistry.validateConnectorConfig uses.
 */
import { TRANSFORM_LIST_KEYS } from '../plugins/common-connector-config.js';
import { validateConfigDef } from '../plugins/config-validation.js';
import { enrichedAliasConfigDef } from '../plugins/transform-alias-config.js';
import type { TransformationRegistry } from '../plugins/transformation-registry.js';
import { createDefaultTransformationRegistry } from './bundled-transformations.js';

/**
 * Validates the `transforms` / `predicates` keys of a connector config: duplicate aliases, missing or unknown types,
 * a type of the wrong kind, `negate` without `predicate`, a predicate not declared in `predicates`, and each plugin's
 * own keys (required, typed, checked). Returns the errors of every key that has some, keyed by the full config key
 * (e.g. `transforms.route.regex`); an empty map means the keys are valid. Never throws.
 */
export function validateTransforms(
  config: Readonly<Record<string, string>>,
  registry: TransformationRegistry = createDefaultTransformationRegistry(),
): Map<string, string[]> {
  const results = validateConfigDef([...TRANSFORM_LIST_KEYS, ...enrichedAliasConfigDef(config, registry)], config);
  return new Map(results.filter((r) => r.errors.length > 0).map((r) => [r.name, r.errors]));
}

/**
 * A connector's SMT chain (Connect's TransformationChain and TransformationStage), built once from the connector
 * config and applied to every record: stages run in `transforms` order; a stage with a predicate runs only when
 * `negate XOR predicate.test(record)`; a stage returning null drops the record and ends the chain. Configs are parsed
 * when the chain is built, never per record.
 */
import type { ConnectRecord } from '../plugins/connect-data.js';
import { parseList } from '../plugins/config-validation.js';
import { pluginConfigOf } from '../plugins/transform-alias-config.js';
import { TransformationRegistry } from '../plugins/transformation-registry.js';
import { TransformConfigError } from '../plugins/transformation.js';
import type { Predicate, Transformation, TransformationPlugin } from '../plugins/transformation.js';
import { validateTransforms } from './transform-validation.js';

/** A failure inside one stage (its predicate or its transformation); the worker reports it as stage "transformation". */
export class TransformStageError extends Error {
  readonly code = 'PIPECTL_TRANSFORM_FAILED';

  /**
   * @param alias the stage's alias in `transforms`
   * @param className the transformation's class name
   * @param cause what the predicate or transformation threw (often a TransformDataError)
   */
  constructor(
    readonly alias: string,
    readonly className: string,
    cause: unknown,
  ) {
    super(`Error in transformation stage (alias ${alias}, ${className}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TransformStageError';
  }
}

/** A transformation that failed to close; close() returns these instead of throwing. */
export interface StageCloseFailure {
  alias: string;
  error: unknown;
}

/** One configured stage of a chain. */
export interface ChainStage {
  readonly alias: string;
  readonly className: string;
  readonly transformation: Transformation;
  readonly predicate: Predicate | null;
  readonly negate: boolean;
}

export class TransformationChain {
  private readonly stages: readonly ChainStage[];

  /** Use buildTransformationChain(); stages are already configured. */
  constructor(stages: readonly ChainStage[]) {
    this.stages = stages;
  }

  /** The stage aliases, in order. */
  get aliases(): string[] {
    return this.stages.map((s) => s.alias);
  }

  /**
   * Runs the record through every stage. Returns the transformed record, or null when a stage dropped it. Throws
   * TransformStageError (with the stage alias) when a predicate or transformation throws.
   */
  apply<R extends ConnectRecord>(record: R): R | null {
    const stages = this.stages;
    let current: R = record;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i]!;
      try {
        if (stage.predicate === null || stage.negate !== stage.predicate.test(current)) {
          const next = stage.transformation.apply(current);
          if (next === null) return null;
          current = next;
        }
      } catch (e) {
        throw new TransformStageError(stage.alias, stage.className, e);
      }
    }
    return current;
  }

  /** The class of the transformation whose stage threw `error` (a TransformStageError), or "" for other errors. */
  classOf(error: unknown): string {
    return error instanceof TransformStageError ? error.className : '';
  }

  /** Closes every transformation, even after a failure; returns the failures (none thrown). */
  close(): StageCloseFailure[] {
    return closeStages(this.stages);
  }
}

function closeStages(stages: readonly ChainStage[]): StageCloseFailure[] {
  const failures: StageCloseFailure[] = [];
  for (const stage of stages) {
    try {
      stage.transformation.close?.();
    } catch (error) {
      failures.push({ alias: stage.alias, error });
    }
  }
  return failures;
}

/** Names the full key in a message that does not already. */
const configError = (key: string, message: string): TransformConfigError => new TransformConfigError(key, message.includes(key) ? message : `${key}: ${message}`);

/** Instantiates and configures a plugin; configure() failures are rethrown naming the full key (`transforms.a.regex`). */
function createConfigured<T extends Transformation | Predicate>(plugin: TransformationPlugin, config: Readonly<Record<string, string>>, prefix: string): T {
  const instance = plugin.create() as T;
  try {
    instance.configure(pluginConfigOf(config, prefix));
  } catch (e) {
    try {
      (instance as Transformation).close?.();
    } catch {
      // the configure() failure is the one worth reporting
    }
    if (e instanceof TransformConfigError) throw configError(prefix + (e.key === '' ? 'type' : e.key), e.message);
    throw configError(`${prefix}type`, `Error configuring ${plugin.className}: ${(e as Error).message}`);
  }
  return instance;
}

/**
 * Builds the chain a connector config describes, reading Connect's keys: `transforms=a,b`, `transforms.a.type`,
 * `transforms.a.predicate`, `transforms.a.negate`, `predicates=p`, `predicates.p.type`, and the remaining
 * `transforms.a.*` / `predicates.p.*` keys as each plugin's config. A config without `transforms` gives an empty chain.
 *
 * Throws TransformConfigError whose `key` is the full offending key (and whose message names it) for anything
 * validateTransforms reports (duplicate alias, missing or unknown type, undeclared predicate, bad plugin setting) and
 * for errors the plugins' configure() raises; nothing is left open when it throws.
 *
 * @param plugins the transformation registry, or anything that has one (a PluginRegistry).
 */
export function buildTransformationChain(
  connectorConfig: Readonly<Record<string, string>>,
  plugins: TransformationRegistry | { readonly transformations: TransformationRegistry },
): TransformationChain {
  const registry = plugins instanceof TransformationRegistry ? plugins : plugins.transformations;
  const problems = validateTransforms(connectorConfig, registry);
  for (const [key, messages] of problems) throw configError(key, messages[0]!);

  const predicates = new Map<string, Predicate>();
  const stages: ChainStage[] = [];
  try {
    for (const alias of parseList(connectorConfig['transforms'] ?? '')) {
      const prefix = `transforms.${alias}.`;
      const plugin = registry.resolve(`${prefix}type`, connectorConfig[`${prefix}type`]!, 'transformation') as TransformationPlugin;
      const transformation = createConfigured<Transformation>(plugin, connectorConfig, prefix);
      const predicateAlias = connectorConfig[`${prefix}predicate`]?.trim();
      let predicate: Predicate | null = null;
      if (predicateAlias !== undefined) {
        predicate = predicates.get(predicateAlias) ?? null;
        if (predicate === null) {
          const predicatePrefix = `predicates.${predicateAlias}.`;
          const predicatePlugin = registry.resolve(`${predicatePrefix}type`, connectorConfig[`${predicatePrefix}type`]!, 'predicate') as TransformationPlugin;
          predicate = createConfigured<Predicate>(predicatePlugin, connectorConfig, predicatePrefix);
          predicates.set(predicateAlias, predicate);
        }
      }
      const negate = (connectorConfig[`${prefix}negate`] ?? 'false').trim().toLowerCase() === 'true';
      stages.push({ alias, className: plugin.className, transformation, predicate, negate });
    }
  } catch (e) {
    closeStages(stages);
    throw e;
  }
  return new TransformationChain(stages);
}

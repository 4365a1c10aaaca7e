/**
 * Planning against a runtime, for `plan`, `apply` and any other front end: read the live state (connectors and
 * plugins through the Herder, topics through RuntimeTopics), compute the plan (pure, src/plan), then have the runtime
 * validate each config the plan would send (pre-apply validation) and fold its answers into the plan's diagnostics.
 */
import type { Herder } from '../herder/herder.js';
import { readLiveConnectors, readPluginClasses } from '../herder/live-connectors.js';
import type { ConfigInfos } from '../herder/types.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import { computePlan } from '../plan/compute-plan.js';
import type { LiveState, Plan, PlanOptions } from '../plan/types.js';
import { configsToValidate, withValidation } from '../plan/validation.js';
import type { RuntimeTopics } from './ports.js';

/** What planning reads: the Herder, and the runtime's topics when it has a topic port at all. */
export interface RuntimeReader {
  herder: Herder;
  topics?: Pick<RuntimeTopics, 'listTopics'>;
}

/** How many configs the runtime is asked to validate at once. */
const VALIDATION_CONCURRENCY = 8;

/**
 * The live state of the runtime at `url`. The connectors are read first and alone (when the runtime is unreachable,
 * one request retries and is reported, not three at once), then plugins and topics together. Rejects with the
 * herder's errors.
 */
export async function readLiveState(runtime: RuntimeReader, url: string): Promise<LiveState> {
  const connectors = await readLiveConnectors(runtime.herder);
  const [pluginClasses, topics] = await Promise.all([readPluginClasses(runtime.herder), runtime.topics?.listTopics()]);
  return { url, connectors, pluginClasses, ...(topics ? { topics } : {}) };
}

/** Reads the live state, computes the plan and validates its configs on the runtime. Rejects with the herder's errors. */
export async function planOnRuntime(runtime: RuntimeReader, url: string, desired: DesiredState, options: PlanOptions): Promise<{ live: LiveState; plan: Plan }> {
  const live = await readLiveState(runtime, url);
  const plan = computePlan(desired, live, options);
  return { live, plan: withValidation(plan, desired, await validateOnRuntime(runtime.herder, configsToValidate(plan))) };
}

/** Asks the runtime to validate each config (a few at a time); a config it cannot validate is left to apply. Never rejects. */
export async function validateOnRuntime(herder: Pick<Herder, 'validateConnectorConfig'>, configs: readonly { name: string; config: Record<string, string> }[]): Promise<Map<string, ConfigInfos>> {
  const answers = new Map<string, ConfigInfos>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < configs.length) {
      const { name, config } = configs[next++]!;
      try {
        answers.set(name, await herder.validateConnectorConfig(config));
      } catch {
        // e.g. a class the runtime does not know: its validate answers 400/500; apply will report it precisely.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(VALIDATION_CONCURRENCY, configs.length) }, worker));
  return answers;
}

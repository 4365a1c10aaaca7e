/**
 * What `plan`, `apply` and `import` share: pick the target runtime, load the pipeline files, read the live state,
 * and compute the plan. Only I/O and wiring here; the decisions live in src/plan.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { RestHerder, readLiveConnectors, readPluginClasses } from '../herder/rest-client.js';
import type { RetryEvent } from '../herder/rest-client.js';
import { DEFAULT_RUNTIME_TIMEOUT_S, REFUSED_LOOPBACK_MS } from './plan-options.js';
import { SessionError } from './session-errors.js';
import type { ConfigInfos } from '../herder/types.js';
import { computePlan } from '../plan/compute-plan.js';
import { configsToValidate, withValidation } from '../plan/validation.js';
import type { LiveState, Plan, PlanOptions } from '../plan/types.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import { loadDesiredState } from '../pipeline-files/load-desired-state.js';
import { collectVariables } from '../pipeline-files/variables.js';
import type { VarSource } from '../pipeline-files/variables.js';
import { resolveTarget } from '../target-selection/index.js';

export interface TargetFlags {
  url?: string;
  env?: string;
  header?: string[];
  /** Seconds (a string from the command line); see DEFAULT_RUNTIME_TIMEOUT_S. */
  runtimeTimeout?: string;
}

/** Observers of the connection to the runtime (the CLI shows retries as they happen). */
export interface ConnectHooks {
  onRetry?: (event: RetryEvent) => void;
}

export interface PlanFlags extends TargetFlags {
  prune?: boolean;
  adopt?: boolean;
  restart?: string[];
  ignoreKey?: string[];
}

export interface PlanInputs {
  paths: string[];
  varSources: VarSource[];
  flags: PlanFlags;
  hooks?: ConnectHooks;
  /** Called once the files loaded without errors, before the live state is read (apply takes its lease here). */
  beforeLiveRead?: (herder: RestHerder) => Promise<void>;
}

export interface PlanSession {
  herder: RestHerder;
  url: string;
  desired: DesiredState;
  /** Diagnostics from the files and variables; errors mean no plan was computed. */
  diagnostics: Diagnostic[];
  live?: LiveState;
  plan?: Plan;
  options: PlanOptions;
}

/** Throws a SessionError (PIPECTL_CLI_USAGE) for a bad --runtime-timeout, a TargetError for a bad target. */
export function connect(flags: TargetFlags, hooks: ConnectHooks = {}): { herder: RestHerder; url: string; project: string; variables: Record<string, string> } {
  const target = resolveTarget({ urlFlag: flags.url, env: process.env, cwd: process.cwd(), envName: flags.env, headerFlags: flags.header ?? [] });
  const seconds = Number(flags.runtimeTimeout ?? DEFAULT_RUNTIME_TIMEOUT_S);
  if (!Number.isFinite(seconds) || seconds < 0) throw new SessionError('PIPECTL_CLI_USAGE', `--runtime-timeout ${flags.runtimeTimeout}: expected a number of seconds (0 = no retry)`);
  const budgetMs = seconds * 1000;
  // The time budget bounds the retries, not a count of attempts (1,000 is never reached).
  const retry = { attempts: budgetMs === 0 ? 1 : 1000, maxElapsedMs: budgetMs, refusedLoopbackMs: Math.min(budgetMs, REFUSED_LOOPBACK_MS) };
  const herder = new RestHerder({ url: target.url, headers: target.headers, retry, ...(target.basicAuth ? { basicAuth: target.basicAuth } : {}), ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}) });
  return { herder, url: target.url, project: target.project, variables: target.variables };
}

export async function readLiveState(herder: RestHerder, url: string): Promise<LiveState> {
  // The first read alone: when the runtime is unreachable, one request retries (and is reported), not three at once.
  const connectors = await readLiveConnectors(herder);
  const [pluginClasses, topics] = await Promise.all([readPluginClasses(herder), herder.listTopics()]);
  return { url, connectors, pluginClasses, ...(topics ? { topics } : {}) };
}

/** Loads files, reads the runtime, computes the plan. File errors stop before any request to the runtime. */
export async function preparePlan(inputs: PlanInputs): Promise<PlanSession> {
  const { herder, url, project, variables: envVariables } = connect(inputs.flags, inputs.hooks);
  // Environment variables from pipectl.yaml come first, so --var and --var-file override them.
  const sources: VarSource[] = [...Object.entries(envVariables).map(([k, v]) => ({ kind: 'var' as const, text: `${k}=${v}` })), ...inputs.varSources];
  const { vars, diagnostics: varDiags } = collectVariables(sources);
  const loaded = loadDesiredState({ paths: inputs.paths, cwd: process.cwd(), variables: vars });
  const options: PlanOptions = {
    project,
    prune: inputs.flags.prune ?? false,
    adopt: inputs.flags.adopt ?? false,
    restart: inputs.flags.restart ?? [],
    ignoreKeys: inputs.flags.ignoreKey ?? [],
  };
  const diagnostics = [...varDiags, ...loaded.diagnostics];
  const session: PlanSession = { herder, url, desired: loaded.state, diagnostics, options };
  if (diagnostics.some((d) => d.severity === 'error')) return session;
  await inputs.beforeLiveRead?.(herder);
  session.live = await readLiveState(herder, url);
  const plan = computePlan(loaded.state, session.live, options);
  session.plan = withValidation(plan, loaded.state, await validateOnRuntime(herder, configsToValidate(plan)));
  return session;
}

/** Asks the runtime to validate each config (a few at a time); a config it cannot validate is left to apply. */
async function validateOnRuntime(herder: RestHerder, configs: { name: string; config: Record<string, string> }[]): Promise<Map<string, ConfigInfos>> {
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
  await Promise.all(Array.from({ length: Math.min(8, configs.length) }, worker));
  return answers;
}

/**
 * What `plan`, `apply` and `import` share: pick the target runtime from the flags and load the pipeline files; `plan`
 * then plans against the runtime (src/apply/plan-on-runtime.ts). Only flags and wiring here: the decisions live in
 * src/plan and src/apply.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { RestHerder } from '../herder/rest-client.js';
import type { RetryEvent } from '../herder/rest-client.js';
import { restTopics } from './rest-ports.js';
import { planOnRuntime } from '../apply/index.js';
import type { RuntimeTopics } from '../apply/index.js';
import { DEFAULT_RUNTIME_TIMEOUT_S, REFUSED_LOOPBACK_MS } from './plan-options.js';
import { SessionError } from './session-errors.js';
import type { LiveState, Plan, PlanOptions } from '../plan/types.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import { loadDesiredState } from '../pipeline-files/load-desired-state.js';
import { collectVariables } from '../pipeline-files/variables.js';
import type { VarSource } from '../pipeline-files/variables.js';
import { readClientTls, resolveTarget } from '../target-selection/index.js';

export interface TargetFlags {
  url?: string;
  env?: string;
  header?: string[];
  caFile?: string;
  clientCert?: string;
  clientKey?: string;
  basicAuthFile?: string;
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

/** The files, variables and flags of one plan or apply. */
export interface PlanInputs {
  paths: string[];
  varSources: VarSource[];
  flags: PlanFlags;
  hooks?: ConnectHooks;
}

/** The target and the pipeline files, loaded; the runtime not asked anything yet. */
export interface LoadedInputs {
  herder: RestHerder;
  url: string;
  desired: DesiredState;
  /** Diagnostics from the files and variables; errors mean there is nothing to plan. */
  diagnostics: Diagnostic[];
  options: PlanOptions;
}

export interface PlanSession extends LoadedInputs {
  live?: LiveState;
  plan?: Plan;
}

/** Throws a SessionError (PIPECTL_CLI_USAGE) for a bad --runtime-timeout, a TargetError for a bad target. */
export function connect(flags: TargetFlags, hooks: ConnectHooks = {}): { herder: RestHerder; url: string; project: string; variables: Record<string, string> } {
  const target = resolveTarget({
    urlFlag: flags.url,
    env: process.env,
    cwd: process.cwd(),
    envName: flags.env,
    headerFlags: flags.header ?? [],
    ...(flags.caFile !== undefined ? { caFile: flags.caFile } : {}),
    ...(flags.clientCert !== undefined ? { clientCert: flags.clientCert } : {}),
    ...(flags.clientKey !== undefined ? { clientKey: flags.clientKey } : {}),
    ...(flags.basicAuthFile !== undefined ? { basicAuthFile: flags.basicAuthFile } : {}),
  });
  const tls = target.tls ? readClientTls(target.tls) : undefined;
  const seconds = Number(flags.runtimeTimeout ?? DEFAULT_RUNTIME_TIMEOUT_S);
  if (!Number.isFinite(seconds) || seconds < 0) throw new SessionError('PIPECTL_CLI_USAGE', `--runtime-timeout ${flags.runtimeTimeout}: expected a number of seconds (0 = no retry)`);
  const budgetMs = seconds * 1000;
  // The time budget bounds the retries, not a count of attempts (1,000 is never reached).
  const retry = { attempts: budgetMs === 0 ? 1 : 1000, maxElapsedMs: budgetMs, refusedLoopbackMs: Math.min(budgetMs, REFUSED_LOOPBACK_MS) };
  const herder = new RestHerder({ url: target.url, headers: target.headers, retry, ...(target.basicAuth ? { basicAuth: target.basicAuth } : {}), ...(tls ? { tls } : {}), ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}) });
  return { herder, url: target.url, project: target.project, variables: target.variables };
}

/** Picks the target and loads the files with their variables and the plan options. Throws as connect does. */
export function loadInputs(inputs: PlanInputs): LoadedInputs {
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
  return { herder, url, desired: loaded.state, diagnostics: [...varDiags, ...loaded.diagnostics], options };
}

/** Loads files, reads the runtime, computes the plan (validated on the runtime). File errors stop before any request to the runtime. */
export async function preparePlan(inputs: PlanInputs): Promise<PlanSession> {
  const session: PlanSession = loadInputs(inputs);
  if (session.diagnostics.some((d) => d.severity === 'error')) return session;
  Object.assign(session, await planOnRuntime(runtimeOf(session.herder), session.url, session.desired, session.options));
  return session;
}

/** The REST client as what planning and apply read and change: connectors through the Herder, topics through their routes. */
export function runtimeOf(herder: RestHerder): { herder: RestHerder; topics: RuntimeTopics } {
  return { herder, topics: restTopics(herder) };
}

/**
 * What `plan`, `apply` and `import` share: pick the target runtime, load the pipeline files, read the live state,
 * and compute the plan. Only I/O and wiring here; the decisions live in src/plan.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { RestHerder, readLiveConnectors, readPluginClasses } from '../herder/rest-client.js';
import { computePlan } from '../plan/compute-plan.js';
import type { LiveState, Plan, PlanOptions } from '../plan/types.js';
import type { DesiredState } from '../spec/desired-state.js';
import { loadDesiredState } from '../spec/load-desired-state.js';
import { collectVariables } from '../spec/variables.js';
import type { VarSource } from '../spec/variables.js';
import { resolveTarget } from '../target/index.js';

export interface TargetFlags {
  url?: string;
  env?: string;
  header?: string[];
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

export function connect(flags: TargetFlags): { herder: RestHerder; url: string; project: string; variables: Record<string, string> } {
  const target = resolveTarget({ urlFlag: flags.url, env: process.env, cwd: process.cwd(), envName: flags.env, headerFlags: flags.header ?? [] });
  const herder = new RestHerder({ url: target.url, headers: target.headers, ...(target.basicAuth ? { basicAuth: target.basicAuth } : {}) });
  return { herder, url: target.url, project: target.project, variables: target.variables };
}

export async function readLiveState(herder: RestHerder, url: string): Promise<LiveState> {
  const [connectors, pluginClasses] = await Promise.all([readLiveConnectors(herder), readPluginClasses(herder)]);
  return { url, connectors, pluginClasses };
}

/** Loads files, reads the runtime, computes the plan. File errors stop before any request to the runtime. */
export async function preparePlan(inputs: PlanInputs): Promise<PlanSession> {
  const { herder, url, project, variables: envVariables } = connect(inputs.flags);
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
  session.live = await readLiveState(herder, url);
  session.plan = computePlan(loaded.state, session.live, options);
  return session;
}

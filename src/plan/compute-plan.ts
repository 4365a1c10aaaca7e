/**
 * computePlan: a pure function (DesiredState, LiveState, options) → Plan. No I/O, no clock, no randomness: the same
 * inputs always give the same plan, byte for byte.
 *
 * Order of operations: topics to create or change, in file order (topics.ts; topics are never deleted); deletes (sinks
 * before the sources that feed them); then, for each declared connector in file order, its create or update, its
 * state change, and a requested restart.
 */
import type { StatusState, TargetState as ConnectTargetState } from '../herder/types.js';
import type { ConnectorSpec, DesiredState, TargetState } from '../pipeline-files/desired-state.js';
import { listNames } from './name-list.js';
import { configHash, normaliseConfig, sha256 } from './normalise.js';
import type { NormaliseContext } from './normalise.js';
import { diffConfigs } from './config-diff.js';
import { planTopics } from './topics.js';
import { runtimeOnlySettingDiagnostics } from './runtime-only-settings.js';
import { APPLIED_HASH_KEY, FORMAT_VERSION, OWNER_KEY } from './types.js';
import type { Drift, FailedParts, LiveConnector, LiveState, Plan, PlanDiagnostic, PlanOperation, PlanOptions, PlanSummary } from './types.js';

export { diffConfigs } from './config-diff.js';

export function computePlan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const ctx: NormaliseContext = { pluginClasses: live.pluginClasses, ignoreKeys: options.ignoreKeys };
  const liveByName = new Map(live.connectors.map((c) => [c.name, c]));
  const declared = new Set(desired.connectors.map((c) => c.name));
  const diagnostics: PlanDiagnostic[] = [];
  const drift: Drift[] = [];
  const topicOps: PlanOperation[] = [];
  const deleteOps: PlanOperation[] = [];
  const connectorOps: PlanOperation[] = [];

  // Topics, when the runtime tells us which exist (see topics.ts for what is planned and why).
  if (live.topics) {
    const topics = planTopics(desired.topics, live.topics, options);
    topicOps.push(...topics.operations);
    diagnostics.push(...topics.diagnostics);
  }
  diagnostics.push(...runtimeOnlySettingDiagnostics(desired, live));

  // Owned connectors that are no longer declared: deleted only with --prune, sinks first.
  const orphans = live.connectors.filter((c) => !declared.has(c.name) && c.config[OWNER_KEY] === options.project);
  if (options.prune) {
    const rank = (c: LiveConnector): number => (c.type === 'sink' ? 0 : c.type === 'source' ? 1 : 2);
    for (const c of [...orphans].sort((a, b) => rank(a) - rank(b) || cmp(a.name, b.name))) deleteOps.push({ op: 'delete', name: c.name, role: c.type });
  } else if (orphans.length > 0) {
    diagnostics.push({ severity: 'warning', code: 'PIPECTL_PLAN_UNDECLARED_OWNED', summary: `${orphans.length} connector${orphans.length === 1 ? '' : 's'} owned by project "${options.project}" ${orphans.length === 1 ? 'is' : 'are'} no longer declared (${listNames(orphans.map((c) => c.name).sort(cmp))}); run with --prune to delete ${orphans.length === 1 ? 'it' : 'them'}` });
  }

  for (const c of desired.connectors) {
    const l = liveByName.get(c.name);
    const wanted = normaliseConfig(c.config, ctx);
    const toSend = { ...c.config, [OWNER_KEY]: options.project, [APPLIED_HASH_KEY]: configHash(wanted) };
    if (!l) {
      connectorOps.push({ op: 'create', name: c.name, pipeline: c.pipeline, initialState: c.state, config: toSend });
      continue;
    }
    const owner = l.config[OWNER_KEY];
    const adopting = owner !== options.project;
    if (adopting && !options.adopt) {
      diagnostics.push({
        severity: 'error',
        code: 'PIPECTL_PLAN_NOT_OWNED',
        summary: `connector "${c.name}" already exists on the runtime and is not managed by project "${options.project}"${owner ? ` (owner: "${owner}")` : ''}; run with --adopt to take it over, or rename it`,
        connector: c.name,
        ...position(c),
      });
      continue;
    }
    const current = normaliseConfig(l.config, ctx);
    const changes = diffConfigs(current, wanted);
    const applied = l.config[APPLIED_HASH_KEY];
    if (!adopting && applied !== undefined && applied !== configHash(current) && changes.length > 0) {
      drift.push({ connector: c.name, keys: changes.map((ch) => ch.key) });
    }
    if (changes.length > 0 || adopting) connectorOps.push({ op: 'update', name: c.name, pipeline: c.pipeline, config: toSend, changes, adopt: adopting });
    const stateOp = stateChange(liveTarget(l), c.state);
    if (stateOp) connectorOps.push({ op: stateOp, name: c.name, pipeline: c.pipeline });
    if (options.restart.includes(c.name)) connectorOps.push({ op: 'restart', name: c.name, pipeline: c.pipeline, reason: 'requested' });
    else if (isFailed(l) && c.state === 'RUNNING') {
      // Declared running but FAILED does not match the declaration: restart exactly the failed parts. After an update
      // too (Connect restarts tasks on an update only when their configs change).
      connectorOps.push({ op: 'restart', name: c.name, pipeline: c.pipeline, reason: 'failed', failed: failedParts(l) });
    } else if (isFailed(l) && c.state === 'PAUSED') {
      diagnostics.push({ severity: 'warning', code: 'PIPECTL_PLAN_FAILED', summary: `connector "${c.name}" is declared paused and has failed ${l.state === 'FAILED' ? 'itself' : 'tasks'}; they stay FAILED until it is declared running (then plan restarts them) or you run with --restart ${c.name}`, connector: c.name, ...position(c) });
    }
  }
  for (const name of options.restart) {
    if (!declared.has(name)) diagnostics.push({ severity: 'error', code: 'PIPECTL_PLAN_UNKNOWN_RESTART', summary: `--restart ${name}: no such connector is declared` });
  }

  const operations = [...topicOps, ...deleteOps, ...connectorOps];
  return {
    formatVersion: FORMAT_VERSION,
    project: options.project,
    target: live.url,
    operations,
    drift,
    diagnostics,
    summary: summarise(operations),
    fingerprints: { desired: desiredFingerprint(desired, options), live: liveFingerprint(live) },
  };
}

function liveTarget(l: LiveConnector): ConnectTargetState {
  if (l.targetState) return l.targetState;
  const byState: Partial<Record<StatusState, ConnectTargetState>> = { PAUSED: 'PAUSED', STOPPED: 'STOPPED' };
  return byState[l.state] ?? 'STARTED';
}

function stateChange(live: ConnectTargetState, wanted: TargetState): 'pause' | 'resume' | 'stop' | undefined {
  if (wanted === 'RUNNING') return live === 'STARTED' ? undefined : 'resume';
  if (wanted === 'PAUSED') return live === 'PAUSED' ? undefined : 'pause';
  return live === 'STOPPED' ? undefined : 'stop';
}

function isFailed(l: LiveConnector): boolean {
  return l.state === 'FAILED' || l.taskStates.includes('FAILED');
}

function failedParts(l: LiveConnector): FailedParts {
  return { connector: l.state === 'FAILED', tasks: l.taskStates.flatMap((s, i) => (s === 'FAILED' ? [i] : [])) };
}

function position(c: ConnectorSpec): Pick<PlanDiagnostic, 'pos'> {
  return { pos: { file: c.pos.file, line: c.pos.line, column: c.pos.column } };
}

function summarise(ops: readonly PlanOperation[]): PlanSummary {
  const count = (...kinds: PlanOperation['op'][]): number => ops.filter((o) => kinds.includes(o.op)).length;
  return { create: count('create'), update: count('update'), delete: count('delete'), stateChange: count('pause', 'resume', 'stop'), restart: count('restart'), createTopic: count('create-topic'), updateTopic: count('update-topic') };
}

function desiredFingerprint(desired: DesiredState, options: PlanOptions): string {
  return sha256(
    JSON.stringify({
      connectors: desired.connectors.map((c) => [c.name, c.state, c.config]),
      topics: desired.topics.map((t) => [t.name, t.partitions ?? null, t.replicationFactor ?? null, t.config]),
      options: [options.project, options.prune, options.adopt, [...options.restart].sort(), [...options.ignoreKeys].sort()],
    }),
  );
}

/**
 * What a stale-plan check compares: configs and target states, not fluctuating statuses — except FAILED parts, which
 * the plan restarts (a FAILED status stays until something restarts it); topics' settings.
 */
function liveFingerprint(live: LiveState): string {
  const connectors = [...live.connectors]
    .sort((a, b) => cmp(a.name, b.name))
    .map((c) => [c.name, liveTarget(c), Object.entries(c.config).sort(([a], [b]) => cmp(a, b)), ...(isFailed(c) ? [failedParts(c)] : [])]);
  const topics = live.topics ? [...live.topics].sort((a, b) => cmp(a.name, b.name)).map((t) => [t.name, t.partitions, t.replicationFactor, Object.entries(t.config).sort(([a], [b]) => cmp(a, b))]) : null;
  return sha256(JSON.stringify({ connectors, topics }));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

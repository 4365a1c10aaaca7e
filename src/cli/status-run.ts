/**
 * The work of `pipectl status`, loaded only when the command runs (see status-command.ts): the plan (for what apply
 * would change), the connectors' statuses, and the metrics of the workers that run them, into one table.
 */
import { formatDiagnostic } from '../diag/diagnostic.js';
import type { ConnectorStateInfo } from '../herder/types.js';
import type { RestHerder } from '../herder/rest-client.js';
import type { VarSource } from '../pipeline-files/variables.js';
import { OWNER_KEY } from '../plan/types.js';
import { parsePrometheusText } from '../status/prometheus-text.js';
import type { PromSample } from '../status/prometheus-text.js';
import { buildStatusRows, STATUS_SERIES } from '../status/status-rows.js';
import { renderStatusJson, renderStatusText } from '../views/status-text.js';
import type { StatusView } from '../views/status-text.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { preparePlan } from './plan-session.js';
import { formatReported, reportsOfError } from './session-errors.js';
import type { StatusCommandFlags } from './status-command.js';

const DEFAULT_WATCH_S = 2;

export async function runStatus(paths: string[], varSources: VarSource[], flags: StatusCommandFlags): Promise<number> {
  const usedPaths = paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS;
  const watchSeconds = flags.watch === undefined || flags.watch === false ? null : flags.watch === true ? DEFAULT_WATCH_S : Number(flags.watch);
  if (watchSeconds !== null && !(watchSeconds > 0)) {
    process.stderr.write(`--watch ${String(flags.watch)}: expected a number of seconds above 0\n`);
    return 1;
  }
  for (;;) {
    const code = await showOnce(usedPaths, varSources, flags, watchSeconds !== null);
    if (watchSeconds === null) return code;
    await new Promise((r) => setTimeout(r, watchSeconds * 1000));
  }
}

async function showOnce(paths: string[], varSources: VarSource[], flags: StatusCommandFlags, watching: boolean): Promise<number> {
  try {
    const session = await preparePlan({ paths, varSources, flags: { ...flags, prune: true } });
    for (const d of session.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!session.plan || !session.live) return 1;
    const owned = new Set(session.live.connectors.filter((c) => c.config[OWNER_KEY] === session.options.project).map((c) => c.name));
    const names = new Set([...session.desired.connectors.map((c) => c.name), ...owned]);
    const statuses = await readStatuses(session.herder, names);
    const { samples, unread } = await readMetrics(session.herder, [...statuses.values()]);
    const view: StatusView = { target: session.url, metrics: samples !== null, unreadWorkers: unread, rows: buildStatusRows({ desired: session.desired, statuses, configs: new Map(session.live.connectors.map((c) => [c.name, c.config])), plan: session.plan, owned, metrics: samples }) };
    if (flags.json) process.stdout.write(watching ? `${JSON.stringify(JSON.parse(renderStatusJson(view)))}\n` : renderStatusJson(view));
    else process.stdout.write(`${watching && process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${renderStatusText(view)}`);
    return 0;
  } catch (e) {
    for (const r of reportsOfError(e)) process.stderr.write(`${formatReported(r)}\n`);
    return 1;
  }
}

/** Statuses of `names` that exist on the runtime, in one request (GET /connectors?expand=status) when it allows. */
async function readStatuses(herder: RestHerder, names: ReadonlySet<string>): Promise<Map<string, ConnectorStateInfo>> {
  const out = new Map<string, ConnectorStateInfo>();
  const expanded = await herder.connectorsExpanded();
  for (const name of names) {
    const status = expanded ? expanded[name]?.status : await herder.connectorStatus(name).catch(() => undefined);
    if (status) out.set(name, status);
  }
  return out;
}

/**
 * The metric samples of every worker that runs one of these connectors: the target's own answer when it is the only
 * worker, else each worker's GET /metrics at the address its status names (same scheme and credentials). Null when
 * the runtime has no GET /metrics.
 */
async function readMetrics(herder: RestHerder, statuses: ConnectorStateInfo[]): Promise<{ samples: PromSample[] | null; unread: string[] }> {
  const own = await herder.metricsText();
  if (own === undefined) return { samples: null, unread: [] };
  const workers = [...new Set(statuses.flatMap((s) => [s.connector.worker_id, ...s.tasks.map((t) => t.worker_id)]).filter(Boolean))];
  const target = new URL(herder.url);
  if (workers.length <= 1) return { samples: parsePrometheusText(own, STATUS_SERIES), unread: [] };
  const samples: PromSample[] = [];
  const unread: string[] = [];
  await Promise.all(
    workers.map(async (id) => {
      const text = id === target.host ? own : await herder.at(`${target.protocol}//${id}`).metricsText().catch(() => undefined);
      if (text === undefined) unread.push(id);
      else samples.push(...parsePrometheusText(text, STATUS_SERIES));
    }),
  );
  return { samples, unread: unread.sort() };
}

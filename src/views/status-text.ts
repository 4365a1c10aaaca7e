/**
 * `pipectl status` as a table for a terminal (and as JSON): one row per connector, failed tasks with the first line of
 * their trace under the table, and what the runtime could not tell (records/s and lag on Apache Kafka Connect).
 */
import type { StatusRow } from '../status/status-rows.js';

export const STATUS_FORMAT_VERSION = 1;

export interface StatusView {
  target: string;
  /** False when the runtime has no GET /metrics (Apache Kafka Connect, or a worker with metrics.prometheus.enable=false). */
  metrics: boolean;
  /** Workers whose /metrics could not be read (their rows' rates are partial). */
  unreadWorkers: string[];
  rows: StatusRow[];
}

const rate = (n: number | null): string => (n === null ? '-' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

function lag(row: StatusRow): string {
  if (row.lagRecords === null) return '-';
  const seconds = row.lagSeconds ?? 0;
  return row.lagRecords === 0 ? '0' : `${row.lagRecords.toLocaleString('en-US')} (${seconds.toFixed(1)} s)`;
}

/** How long ago, kubectl's AGE style: 45s, 12m, 3h, 5d. */
function age(fromIso: string, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 1000));
  if (Number.isNaN(s)) return '?';
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.floor(s / 60)}m` : s < 172_800 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86_400)}d`;
}

/** `12m ago by ana@ci @a1b2c3d`; `-` when pipectl never applied it or the runtime keeps no time of it. */
function lastApply(row: StatusRow, now: Date): string {
  const a = row.lastApply;
  if (a?.at == null) return '-';
  const commit = a.commit === null ? '' : ` @${a.commit.slice(0, 7)}${a.commit.endsWith('-dirty') ? '-dirty' : ''}`;
  return `${age(a.at, now)} ago by ${a.by ?? '?'}${commit}`;
}

export function renderStatusText(view: StatusView, now: Date = new Date()): string {
  const header = ['CONNECTOR', 'PIPELINE', 'STATE', 'TASKS', 'WORKERS', 'IN/s', 'OUT/s', 'LAG', 'RESTARTS', 'LAST APPLY', 'SYNC'];
  const cells = view.rows.map((r) => [
    r.connector,
    r.pipeline ?? '-',
    r.state ?? 'absent',
    r.state === null ? '-' : `${r.tasksRunning}/${r.tasksTotal}`,
    r.workers.join(',') || '-',
    rate(r.recordsInPerSecond),
    rate(r.recordsOutPerSecond),
    lag(r),
    r.restarts === null ? '-' : String(r.restarts),
    lastApply(r, now),
    r.sync + (r.pending.length > 0 ? ` (${r.pending.join(', ')})` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [`Status of ${view.target} at ${now.toISOString()}`, '', line(header), ...cells.map(line)];
  const failures = view.rows.flatMap((r) => [
    ...(r.connectorTrace !== null ? [`  ${r.connector}: FAILED — ${r.connectorTrace || '(no trace)'}`] : []),
    ...r.failedTasks.map((t) => `  ${r.connector} task ${t.id} on ${t.workerId || '?'}: FAILED — ${t.trace || '(no trace)'}`),
  ]);
  if (failures.length > 0) out.push('', 'Failed:', ...failures);
  if (view.rows.length === 0) out.push('(no connector declared in these files, and none owned by this project on the runtime)');
  if (!view.metrics) out.push('', 'Records/s, lag and restarts: this runtime has no GET /metrics (Apache Kafka Connect publishes its metrics over JMX only).');
  if (view.unreadWorkers.length > 0) out.push('', `Metrics not read from ${view.unreadWorkers.join(', ')}: their share of records/s and lag is missing.`);
  return `${out.join('\n')}\n`;
}

export function renderStatusJson(view: StatusView): string {
  return `${JSON.stringify({ formatVersion: STATUS_FORMAT_VERSION, ...view }, null, 2)}\n`;
}

/**
 * The web view's graph as plain data: source connectors → topics → sink connectors, each connector with a health
 * colour, and records/s and lag on the edges. Pure: buildGraph reads only its inputs (no herder, clock or I/O), so the
 * rules below are table-tested and the page only draws what this answers (GET /ui/api/graph).
 */
import type { ConnectorConfig, ConnectorStateInfo, StatusState } from '../../herder/types.js';
import type { ConnectorActivity } from '../metrics/worker-metrics.js';

/** Bump when the JSON form changes incompatibly (the page checks it). */
export const GRAPH_FORMAT_VERSION = 1;

/** The colour of a connector: RUNNING green, PAUSED/STOPPED grey, any FAILED red, UNASSIGNED/RESTARTING amber. */
export type Health = 'running' | 'stopped' | 'failed' | 'pending';

/**
 * The reserved config keys apply writes (plan/types.ts; plan/applied-stamp.ts): the runtime keeps no record of its
 * own, it reads the config (and may not import the plan layer, hence the names again here).
 */
const OWNER_KEY = 'pipectl.owner';
const APPLIED_HASH_KEY = 'pipectl.applied.hash';
const APPLIED_AT_KEY = 'pipectl.applied.at';
const APPLIED_BY_KEY = 'pipectl.applied.by';
const APPLIED_COMMIT_KEY = 'pipectl.applied.commit';

/** What buildGraph is given about one connector; `config` exactly as GET /connectors/{name}/config answers it. */
export interface ConnectorInput {
  name: string;
  config: ConnectorConfig;
  status: ConnectorStateInfo;
}

export interface GraphInput {
  mode: 'standalone' | 'distributed';
  /** The worker answering (its worker id). */
  workerId: string;
  connectors: ConnectorInput[];
  /** The data plane's topic names (internal `__` topics already left out). */
  topics: string[];
  /** This worker's metrics; null when metrics.prometheus.enable=false (no rates are kept). */
  activity: ConnectorActivity[] | null;
}

export interface GraphConnector {
  name: string;
  type: string;
  health: Health;
  connector: ConnectorStateInfo['connector'];
  tasks: ConnectorStateInfo['tasks'];
  config: ConnectorConfig;
  /** The topics it writes (source) or reads (sink), and from which config key that was read. */
  topics: string[];
  topicsFrom: string;
  /** Records/s in and out on this worker; null when this worker has no metrics or runs none of its tasks. */
  rates: { inPerSecond: number; outPerSecond: number; tasksHere: number } | null;
  /** Task restarts on this worker by task id; null when this worker keeps no metrics. */
  restarts: Record<string, number> | null;
  /** From the reserved keys apply writes into the config (at: ISO 8601); null when apply did not write any. */
  lastApply: { at: string | null; by: string | null; commit: string | null; owner: string | null; appliedHash: string | null } | null;
}

export interface GraphEdge {
  from: { kind: 'connector' | 'topic'; name: string };
  to: { kind: 'connector' | 'topic'; name: string };
  /** source → topic: the source's records/s written (its total, when it writes several topics); topic → sink: read. */
  recordsPerSecond: number | null;
  /** topic → sink only: records behind the end of the topic (sum over partitions); null where unknown. */
  lagRecords: number | null;
}

export interface Graph {
  version: number;
  mode: GraphInput['mode'];
  workerId: string;
  /** Where the numbers come from: this worker's tasks only, or nowhere (metrics off). */
  metrics: 'this-worker' | 'off';
  connectors: GraphConnector[];
  /** Every topic a connector touches, and whether the data plane has it. */
  topics: { name: string; exists: boolean }[];
  edges: GraphEdge[];
}

const FAILED_OR_PENDING: readonly StatusState[] = ['UNASSIGNED', 'RESTARTING'];

/** The colour rule: any FAILED first, then a PAUSED/STOPPED connector, then anything still starting, else running. */
export function healthOf(status: ConnectorStateInfo): Health {
  const states = [status.connector.state, ...status.tasks.map((t) => t.state)];
  if (states.includes('FAILED')) return 'failed';
  if (status.connector.state === 'PAUSED' || status.connector.state === 'STOPPED') return 'stopped';
  if (states.some((s) => FAILED_OR_PENDING.includes(s))) return 'pending';
  if (states.some((s) => s === 'PAUSED' || s === 'STOPPED')) return 'stopped';
  return 'running';
}

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The topics a connector's config names. Sink: `topics`, or `topics.regex` matched (whole name, as Connect) against
 * the data plane's topics. Source: `topic` (FileStreamSource, the generator), else `topic.prefix` (the Postgres CDC
 * source: `<prefix>.<schema>.<table>`) matched against existing topics, since its tables are regexes. A transform that
 * renames topics (RegexRouter) is not followed: the config is what is known for sure, before any record flows.
 */
export function connectorTopics(type: string, config: ConnectorConfig, topics: readonly string[]): { topics: string[]; from: string } {
  if (type === 'sink') {
    if (config['topics.regex']?.trim()) {
      let re: RegExp | null = null;
      try {
        re = new RegExp(`^(?:${config['topics.regex'].trim()})$`);
      } catch {
        return { topics: [], from: 'topics.regex (not a valid regex here)' };
      }
      return { topics: topics.filter((t) => re.test(t)), from: 'topics.regex' };
    }
    return { topics: list(config['topics']), from: 'topics' };
  }
  if (config['topic']?.trim()) return { topics: [config['topic'].trim()], from: 'topic' };
  const prefix = config['topic.prefix']?.trim();
  if (prefix) return { topics: topics.filter((t) => t.startsWith(`${prefix}.`)), from: 'topic.prefix (existing topics)' };
  return { topics: [], from: 'none (no topic, topics or topic.prefix key)' };
}

function lastApplyOf(config: ConnectorConfig): GraphConnector['lastApply'] {
  const get = (key: string): string | null => config[key] ?? null;
  const last = { at: get(APPLIED_AT_KEY), by: get(APPLIED_BY_KEY), commit: get(APPLIED_COMMIT_KEY), owner: get(OWNER_KEY), appliedHash: get(APPLIED_HASH_KEY) };
  return Object.values(last).every((v) => v === null) ? null : last;
}

/** The graph for one moment. Connectors and topics are sorted by name so the page's layout is stable. */
export function buildGraph(input: GraphInput): Graph {
  const activity = new Map((input.activity ?? []).map((a) => [a.connector, a]));
  const existing = new Set(input.topics);
  const connectors = [...input.connectors].sort((a, b) => compare(a.name, b.name)).map((c): GraphConnector => {
    const type = c.status.type;
    const found = connectorTopics(type, c.config, input.topics);
    const a = activity.get(c.name);
    return {
      name: c.name,
      type,
      health: healthOf(c.status),
      connector: c.status.connector,
      tasks: c.status.tasks,
      config: c.config,
      topics: found.topics,
      topicsFrom: found.from,
      rates: a ? { inPerSecond: a.inPerSecond, outPerSecond: a.outPerSecond, tasksHere: a.tasks } : null,
      restarts: input.activity === null ? null : (a?.restarts ?? {}),
      lastApply: lastApplyOf(c.config),
    };
  });
  const edges: GraphEdge[] = [];
  for (const c of connectors) {
    const a = activity.get(c.name);
    for (const topic of c.topics) {
      if (c.type === 'sink') {
        edges.push({ from: { kind: 'topic', name: topic }, to: { kind: 'connector', name: c.name }, recordsPerSecond: a ? a.inPerSecond : null, lagRecords: a ? (a.lagRecords[topic] ?? 0) : null });
      } else {
        edges.push({ from: { kind: 'connector', name: c.name }, to: { kind: 'topic', name: topic }, recordsPerSecond: a ? a.outPerSecond : null, lagRecords: null });
      }
    }
  }
  const named = [...new Set(connectors.flatMap((c) => c.topics))].sort(compare);
  return {
    version: GRAPH_FORMAT_VERSION,
    mode: input.mode,
    workerId: input.workerId,
    metrics: input.activity === null ? 'off' : 'this-worker',
    connectors,
    topics: named.map((name) => ({ name, exists: existing.has(name) })),
    edges,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

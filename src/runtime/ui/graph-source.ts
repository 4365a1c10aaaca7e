/**
 * Reads what the web view's graph is built from: the herder (connector configs and statuses — the very calls behind
 * GET /connectors/{name}/config and /status, so the view redacts exactly as the REST API does), the data plane's topic
 * list, and this worker's metrics.
 */
import { HerderError } from '../../herder/errors.js';
import type { Herder } from '../../herder/herder.js';
import type { ConnectorActivity } from '../metrics/worker-metrics.js';
import { buildGraph } from './graph-model.js';
import type { ConnectorInput, Graph } from './graph-model.js';

/** The ports the view reads; declared here, where they are consumed. */
export interface GraphSources {
  mode: 'standalone' | 'distributed';
  /** The worker id, known once the REST listener is bound. */
  workerId: () => string;
  topics: { listTopics(): Promise<{ name: string }[]> };
  /** Absent when the worker keeps no metrics (metrics.prometheus.enable=false). */
  metrics?: { connectorActivity(): ConnectorActivity[] };
}

/**
 * The graph now. A connector deleted while it is read is left out. Throws what the herder throws otherwise (a
 * distributed worker that cannot answer for a connector forwards nothing here: its error reaches the REST edge).
 */
export async function readGraph(herder: Herder, sources: GraphSources): Promise<Graph> {
  const names = await herder.connectors();
  const read = await Promise.all(names.map((name) => readConnector(herder, name)));
  const topics = (await sources.topics.listTopics()).map((t) => t.name).filter((n) => !n.startsWith('__'));
  return buildGraph({
    mode: sources.mode,
    workerId: sources.workerId(),
    connectors: read.filter((c) => c !== undefined),
    topics,
    activity: sources.metrics ? sources.metrics.connectorActivity() : null,
  });
}

async function readConnector(herder: Herder, name: string): Promise<ConnectorInput | undefined> {
  try {
    const [config, status] = await Promise.all([herder.connectorConfig(name), herder.connectorStatus(name)]);
    return { name, config, status };
  } catch (err) {
    if (err instanceof HerderError && err.kind === 'not_found') return undefined;
    throw err;
  }
}

/**
 * Reads what a runtime runs, for planning: every connector's raw config, type and states, and the installed connector
 * classes. Against a RestHerder that is one `GET /connectors?expand=info&expand=status` when the runtime supports it;
 * any other Herder (or an old Connect) is read connector by connector.
 */
import { HerderError } from './errors.js';
import type { Herder } from './herder.js';
import type {
  ConnectorConfig,
  ConnectorInfo,
  ConnectorStateInfo,
  ConnectorType,
  ExpandedConnector,
  StatusState,
} from './types.js';

/**
 * One connector as read from the runtime. Structurally the `LiveConnector` of src/plan/types.ts (declared here because
 * the herder layer imports nothing above it); the target state is left out: Connect does not report it.
 */
export interface LiveConnectorSnapshot {
  name: string;
  config: ConnectorConfig;
  type: ConnectorType;
  state: StatusState;
  taskStates: StatusState[];
}

/** A Herder that can list connectors with their info and status in one request (RestHerder). */
interface ExpandingHerder extends Herder {
  connectorsExpanded(): Promise<Record<string, ExpandedConnector> | undefined>;
}

/** How many per-connector reads run at once on the fallback path. */
const FALLBACK_CONCURRENCY = 8;

/**
 * Every connector with its raw config (secret references unresolved), type, connector state and task states (in task
 * id order), sorted by name. A connector deleted while it is being read is left out; one without a status yet is
 * reported UNASSIGNED with no tasks (on the one-request path Connect itself leaves such a connector out).
 * Rejects with the herder's errors (e.g. RuntimeUnreachableError).
 */
export async function readLiveConnectors(client: Herder): Promise<LiveConnectorSnapshot[]> {
  const expanded = isExpanding(client) ? await client.connectorsExpanded() : undefined;
  const list = expanded !== undefined ? fromExpanded(expanded) : await readOneByOne(client);
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The classes of the installed connector plugins (GET /connector-plugins), sorted. */
export async function readPluginClasses(client: Herder): Promise<string[]> {
  return (await client.plugins(true)).map((p) => p.class).sort();
}

function isExpanding(client: Herder): client is ExpandingHerder {
  return typeof (client as Partial<ExpandingHerder>).connectorsExpanded === 'function';
}

function fromExpanded(expanded: Record<string, ExpandedConnector>): LiveConnectorSnapshot[] {
  const out: LiveConnectorSnapshot[] = [];
  for (const [name, entry] of Object.entries(expanded)) {
    if (!entry.info) continue; // the runtime ignored expand=info; nothing to plan against
    out.push(snapshot(name, entry.info, entry.status));
  }
  return out;
}

async function readOneByOne(client: Herder): Promise<LiveConnectorSnapshot[]> {
  const names = await client.connectors();
  const results: (LiveConnectorSnapshot | undefined)[] = new Array(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      results[i] = await readOne(client, names[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FALLBACK_CONCURRENCY, names.length) }, worker));
  return results.filter((r): r is LiveConnectorSnapshot => r !== undefined);
}

async function readOne(client: Herder, name: string): Promise<LiveConnectorSnapshot | undefined> {
  let info: ConnectorInfo;
  try {
    info = await client.connectorInfo(name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  let status: ConnectorStateInfo | undefined;
  try {
    status = await client.connectorStatus(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return snapshot(name, info, status);
}

function snapshot(name: string, info: ConnectorInfo, status: ConnectorStateInfo | undefined): LiveConnectorSnapshot {
  const tasks = [...(status?.tasks ?? [])].sort((a, b) => a.id - b.id);
  return {
    name,
    config: info.config,
    type: info.type ?? status?.type ?? 'unknown',
    state: status?.connector.state ?? 'UNASSIGNED',
    taskStates: tasks.map((t) => t.state),
  };
}

function isNotFound(err: unknown): boolean {
  return err instanceof HerderError && err.kind === 'not_found';
}

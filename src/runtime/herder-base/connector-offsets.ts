/**
 * The offsets API of a connector (KIP-875): source offsets live in the offset store, sink offsets are the consumer
 * group's committed offsets (`{kafka_topic, kafka_partition}` → `{kafka_offset}`), as in Kafka Connect.
 */
import { BadRequestError } from '../../herder/errors.js';
import type { ConnectorOffsets, ConnectorType } from '../../herder/types.js';
import type { ConnectorPlugin } from '../../plugins/plugin.js';
import type { DataPlane } from '../data-plane/data-plane.js';
import type { StoredConnector } from '../storage/config/config-store.js';
import type { SourceOffsetStore } from '../storage/offsets/source-offset-store.js';
import { StateError } from '../storage/files/state-error.js';
import { invoke } from '../worker/bounded.js';
import { validateSourceOffsetEntries } from './offset-request.js';

interface OffsetDeps {
  offsetStore: SourceOffsetStore;
  dataPlane: DataPlane;
}

type Json = Record<string, unknown>;

export function sinkGroupId(name: string, stored: StoredConnector): string {
  return stored.config['consumer.override.group.id'] ?? `connect-${name}`;
}

export async function listOffsets(name: string, stored: StoredConnector, type: ConnectorType, deps: OffsetDeps): Promise<ConnectorOffsets> {
  if (type === 'sink') {
    const committed = await deps.dataPlane.committedOffsets(sinkGroupId(name, stored));
    return { offsets: committed.map((c) => ({ partition: { kafka_topic: c.topic, kafka_partition: c.partition }, offset: { kafka_offset: c.offset } })) };
  }
  return { offsets: deps.offsetStore.committed(name) };
}

/** Alters (offsets given) or resets (null) a stopped connector's offsets; resolves with Connect's message. */
export async function alterOffsets(name: string, stored: StoredConnector, plugin: ConnectorPlugin, request: ConnectorOffsets | null, verb: 'altered' | 'reset', deps: OffsetDeps): Promise<string> {
  if (request && !Array.isArray(request.offsets)) throw new BadRequestError('"offsets" must be a JSON array');
  const entries = request ? request.offsets : await currentEntries(name, stored, plugin, deps);
  const targets = entries.map((e) => ({ partition: e.partition, offset: request ? e.offset : null }));
  if (plugin.kind === 'sink') {
    const changes = targets.map((t) => sinkChange(t.partition, t.offset));
    await askPlugin(plugin, stored, targets);
    await deps.dataPlane.alterCommittedOffsets(sinkGroupId(name, stored), changes);
  } else {
    if (request) checkSourceRequest(targets);
    await askPlugin(plugin, stored, targets);
    for (const t of targets) deps.offsetStore.set(name, t.partition as Json, t.offset as Json | null);
    await deps.offsetStore.flush();
  }
  return `The offsets for this connector have been ${verb} successfully`;
}

/** Connect's shape and size limits (offset-request.ts) → 400, before the plugin or the store sees the request. */
function checkSourceRequest(targets: { partition: unknown; offset: unknown }[]): void {
  try {
    validateSourceOffsetEntries(targets);
  } catch (e) {
    if (e instanceof StateError) throw new BadRequestError(`${e.message} (${e.code})`);
    throw e;
  }
}

/** What a reset clears: every partition known, unflushed ones too (a pending write flushed later would undo it). */
async function currentEntries(name: string, stored: StoredConnector, plugin: ConnectorPlugin, deps: OffsetDeps): Promise<{ partition: Json; offset: Json | null }[]> {
  if (plugin.kind === 'source') return deps.offsetStore.list(name);
  return (await listOffsets(name, stored, plugin.kind, deps)).offsets;
}

/** The connector may veto (throw → 400), as Connect's Connector.alterOffsets does. */
async function askPlugin(plugin: ConnectorPlugin, stored: StoredConnector, targets: { partition: Json; offset: Json | null }[]): Promise<void> {
  const connector = plugin.createConnector();
  if (!connector.alterOffsets) return;
  try {
    await invoke(() => connector.alterOffsets!(stored.config, new Map(targets.map((t) => [t.partition, t.offset]))));
  } catch (e) {
    throw new BadRequestError(`Failed to alter offsets: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function sinkChange(partition: Json, offset: Json | null): { topic: string; partition: number; offset: number | null } {
  const topic = partition?.['kafka_topic'];
  const p = partition?.['kafka_partition'];
  if (typeof topic !== 'string' || !Number.isInteger(p)) {
    throw new BadRequestError('Sink connector partitions must have a string "kafka_topic" and an integer "kafka_partition"');
  }
  if (offset === null) return { topic, partition: p as number, offset: null };
  const o = offset?.['kafka_offset'];
  if (!Number.isInteger(o) || (o as number) < 0) throw new BadRequestError('Sink connector offsets must have a non-negative integer "kafka_offset"');
  return { topic, partition: p as number, offset: o as number };
}

/**
 * The checks both herders make before offsets change: the connector is STOPPED with no tasks (else 400 with Connect's
 * message), and its plugin is installed. Then alters or resets them.
 */
export function changeStoppedConnectorOffsets(
  name: string,
  stored: StoredConnector,
  findPlugin: (connectorClass: string) => ConnectorPlugin | undefined,
  offsets: ConnectorOffsets | null,
  verb: 'altered' | 'reset',
  deps: OffsetDeps,
): Promise<string> {
  if (stored.targetState !== 'STOPPED' || stored.taskConfigs.length > 0) {
    throw new BadRequestError(
      `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
    );
  }
  const plugin = findPlugin(stored.config['connector.class'] ?? '');
  if (!plugin) throw new BadRequestError(`No plugin for connector.class=${stored.config['connector.class'] ?? ''}`);
  return alterOffsets(name, stored, plugin, offsets, verb, deps);
}

/** Helpers of the Postgres sink tests: configs for a test database, records shaped like unwrapped CDC rows. */
import type { Schema, SinkRecord } from '../../../src/plugins/connect-data.js';
import { PostgresSinkTask } from '../../../src/connectors/postgres-sink/index.js';
import type { SinkTaskContext } from '../../../src/plugins/plugin.js';
import { psql } from '../../support/postgres.js';

/** Terminates the sink tasks' connections to the database at `url` (a lost connection); the count terminated. */
export function terminateSink(url: string): Promise<string> {
  return psql(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pipectl-postgres-sink' AND datname = current_database()");
}

/** The sink config for the database at `url` (a postgresql:// URL of the test server), as a jdbc: URL. */
export function sinkConfig(url: string, extra: Record<string, string> = {}): Record<string, string> {
  const u = new URL(url);
  return { 'connection.url': `jdbc:postgresql://${u.host}${u.pathname}`, 'connection.user': decodeURIComponent(u.username), ...extra };
}

export const KEY_SCHEMA: Schema = { type: 'struct', name: 't.Key', optional: false, fields: [{ field: 'id', type: 'int32', optional: false }] };
export const ROW_SCHEMA: Schema = {
  type: 'struct', name: 't.Value', optional: true,
  fields: [{ field: 'id', type: 'int32', optional: false }, { field: 'name', type: 'string', optional: true }, { field: 'qty', type: 'int32', optional: true }],
};

let offset = 0;

/** A record of topic `topic` with key {id} and value {id, name, qty}, or a tombstone when `value` is null. */
export function row(topic: string, id: number, value: { name?: string | null; qty?: number | null } | null, valueSchema: Schema = ROW_SCHEMA): SinkRecord {
  return {
    topic, kafkaPartition: 0, kafkaOffset: offset++,
    keySchema: KEY_SCHEMA, key: { id },
    valueSchema: value === null ? null : valueSchema, value: value === null ? null : { id, ...value },
  };
}

/**
 * A task whose put() is followed by flush(), as the worker's offset commit follows it: the task writes in the
 * background, and what a test reads from Postgres after put() must be committed.
 */
export class CommittingTask {
  constructor(readonly inner: PostgresSinkTask) {}
  async put(records: readonly SinkRecord[]): Promise<void> {
    await this.inner.put(records);
    await this.inner.flush();
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
}

/** A started task (put() commits before it returns) and the errant records it reported. */
export async function startTask(config: Record<string, string>, path: 'auto' | 'values' | 'copy' = 'auto'): Promise<{ task: CommittingTask; errant: { record: SinkRecord; error: Error }[] }> {
  const errant: { record: SinkRecord; error: Error }[] = [];
  const context: SinkTaskContext = { assignment: () => [], reportErrant: async (record, error) => void errant.push({ record, error }) };
  const task = new PostgresSinkTask(path);
  await task.start(config, context);
  return { task: new CommittingTask(task), errant };
}

/** The sink connector's config (as properties lines) writing topic `topics` into the database at `url`. */
export function sinkProperties(name: string, topics: string, url: string, extra: Record<string, string> = {}): string {
  const props: Record<string, string> = {
    name,
    'connector.class': 'PostgresSink',
    topics,
    ...sinkConfig(url),
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'delete.enabled': 'true',
    'auto.create': 'true',
    ...extra,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/** ExtractNewRecordState in front of the sink (the `unwrap` transform), as Debezium's docs set it up. */
export const UNWRAP: Record<string, string> = { transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState' };

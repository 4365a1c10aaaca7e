/**
 * Debezium Postgres connector keys pipectl's source does not implement. Each is declared in the config definition so
 * that config/validate answers on that key, and a task never starts with it silently ignored. A key whose Debezium
 * default is what pipectl does anyway is accepted with that value only (a pipeline file that spells out the default
 * still runs).
 */
import type { ConfigKeyDef } from '../../plugins/config-def.js';

interface Restricted {
  name: string;
  /** Values accepted because pipectl behaves that way; empty: the key is refused whatever its value. */
  accepted: readonly string[];
  why: string;
}

const RESTRICTED: readonly Restricted[] = [
  { name: 'database.initial.statements', accepted: [], why: 'no SQL is run on connect besides the session settings the event format needs' },
  { name: 'database.sslcert', accepted: [], why: 'client certificates are not supported; use database.sslmode with a server certificate' },
  { name: 'database.sslkey', accepted: [], why: 'client certificates are not supported' },
  { name: 'database.sslpassword', accepted: [], why: 'client certificates are not supported' },
  { name: 'database.sslrootcert', accepted: [], why: 'a custom root certificate is not supported (the system CAs are used)' },
  { name: 'database.sslfactory', accepted: [], why: 'it names a Java class' },
  { name: 'slot.failover', accepted: ['false'], why: 'failover slots (PostgreSQL 17+) are not created' },
  { name: 'slot.stream.params', accepted: [], why: 'no extra pgoutput options are passed' },
  { name: 'publish.via.partition.root', accepted: ['false'], why: 'partitions are published as themselves' },
  { name: 'replica.identity.autoset.values', accepted: [], why: 'pipectl never alters tables; set REPLICA IDENTITY yourself (see the README)' },
  { name: 'offset.mismatch.strategy', accepted: ['no_validation'], why: 'the stored offset is used as is (no_validation)' },
  { name: 'lsn.flush.mode', accepted: ['connector'], why: 'the slot is confirmed by the connector after each offset flush (connector)' },
  { name: 'flush.lsn.source', accepted: ['true'], why: 'the slot is always confirmed by the connector' },
  { name: 'lsn.flush.timeout.ms', accepted: [], why: 'confirmations are not timed' },
  { name: 'lsn.flush.timeout.action', accepted: [], why: 'confirmations are not timed' },
  { name: 'xmin.fetch.interval.ms', accepted: ['0'], why: 'the slot xmin is never read (source.xmin stays null)' },
  { name: 'message.key.columns', accepted: [], why: 'keys are the primary key, else a unique index' },
  { name: 'message.prefix.include.list', accepted: [], why: 'logical decoding messages are not captured' },
  { name: 'message.prefix.exclude.list', accepted: [], why: 'logical decoding messages are not captured' },
  { name: 'snapshot.isolation.mode', accepted: [], why: "the snapshot always runs in the slot's exported snapshot (REPEATABLE READ)" },
  { name: 'snapshot.locking.mode', accepted: ['none'], why: 'the exported snapshot needs no table lock (none)' },
  { name: 'snapshot.locking.mode.custom.name', accepted: [], why: 'snapshot locking is not pluggable' },
  { name: 'snapshot.lock.timeout.ms', accepted: [], why: 'no table is locked' },
  { name: 'snapshot.include.collection.list', accepted: [], why: 'every captured table is snapshotted' },
  { name: 'snapshot.select.statement.overrides', accepted: [], why: 'snapshot queries are not overridable' },
  { name: 'snapshot.mode.configuration.based.snapshot.data', accepted: [], why: 'snapshot.mode=configuration_based is not supported' },
  { name: 'snapshot.mode.configuration.based.snapshot.schema', accepted: [], why: 'snapshot.mode=configuration_based is not supported' },
  { name: 'snapshot.mode.configuration.based.start.stream', accepted: [], why: 'snapshot.mode=configuration_based is not supported' },
  { name: 'snapshot.mode.configuration.based.snapshot.on.schema.error', accepted: [], why: 'snapshot.mode=configuration_based is not supported' },
  { name: 'snapshot.mode.configuration.based.snapshot.on.data.error', accepted: [], why: 'snapshot.mode=configuration_based is not supported' },
  { name: 'snapshot.mode.custom.name', accepted: [], why: 'snapshot.mode=custom is not supported' },
  { name: 'snapshot.max.threads', accepted: ['1'], why: 'tables are snapshotted one after the other' },
  { name: 'snapshot.delay.ms', accepted: ['0'], why: 'the snapshot starts at once' },
  { name: 'streaming.delay.ms', accepted: ['0'], why: 'streaming starts at once' },
  { name: 'hstore.handling.mode', accepted: ['json'], why: 'hstore values are written as JSON (json)' },
  { name: 'interval.handling.mode', accepted: ['numeric'], why: 'intervals are written as microseconds (numeric)' },
  { name: 'schema.name.adjustment.mode', accepted: ['none'], why: 'names are not adjusted (none)' },
  { name: 'field.name.adjustment.mode', accepted: ['none'], why: 'names are not adjusted (none)' },
  { name: 'schema.refresh.mode', accepted: ['columns_diff'], why: 'schemas are refreshed from each Relation message (columns_diff)' },
  { name: 'provide.transaction.metadata', accepted: ['false'], why: 'transaction metadata events are not written (false)' },
  { name: 'heartbeat.action.query', accepted: [], why: 'heartbeats run no query on the database' },
  { name: 'topic.delimiter', accepted: ['.'], why: 'topics are <prefix>.<schema>.<table>' },
  { name: 'topic.transaction', accepted: [], why: 'transaction metadata is not written' },
  { name: 'topic.naming.strategy', accepted: [], why: 'it names a Java class; topics are <prefix>.<schema>.<table>' },
  { name: 'max.queue.size.in.bytes', accepted: ['0'], why: 'the queue is bounded by records only (0)' },
  { name: 'event.processing.failure.handling.mode', accepted: ['fail'], why: 'an event that cannot be processed fails the task (fail)' },
  { name: 'errors.max.retries', accepted: ['-1'], why: 'connection losses are retried without limit (-1)' },
  { name: 'retriable.restart.connector.wait.ms', accepted: [], why: 'the task reconnects with its own back-off (1 s doubling to 30 s)' },
  { name: 'column.propagate.source.type', accepted: [], why: 'source type parameters are not added to schemas' },
  { name: 'datatype.propagate.source.type', accepted: [], why: 'source type parameters are not added to schemas' },
  { name: 'converters', accepted: [], why: 'custom converters are Java classes' },
  { name: 'signal.data.collection', accepted: [], why: 'signals and incremental snapshots are not supported' },
  { name: 'signal.enabled.channels', accepted: [], why: 'signals and incremental snapshots are not supported' },
  { name: 'incremental.snapshot.chunk.size', accepted: [], why: 'incremental snapshots are not supported' },
  { name: 'notification.enabled.channels', accepted: [], why: 'notifications are not supported' },
  { name: 'post.processors', accepted: [], why: 'post processors are Java classes' },
  { name: 'skip.messages.without.change', accepted: ['false'], why: 'every change is written (false)' },
  { name: 'database.query.timeout.ms', accepted: [], why: 'queries are not timed' },
  { name: 'custom.metric.tags', accepted: [], why: 'JMX metrics do not exist in pipectl' },
];

/** Debezium key families (prefixes) that are refused too; checked when the connector starts. */
export const RESTRICTED_PREFIXES: readonly string[] = ['column.mask.', 'column.truncate.to.', 'snapshot.mode.configuration.based.'];

/** The refusal, in one wording for every key. */
export function unsupportedMessage(name: string, value: string, why: string): string {
  return `"${name}" is a Debezium setting pipectl's Postgres source does not support: ${why}. Remove it (value given: ${JSON.stringify(value)}).`;
}

/** The restricted keys as config definitions: absent is fine, present is an error unless the value is accepted. */
export const RESTRICTED_KEY_DEFS: readonly ConfigKeyDef[] = RESTRICTED.map((r) => ({
  name: r.name,
  type: 'STRING',
  default: null,
  importance: 'LOW',
  group: 'Not supported',
  documentation: `Debezium setting, not supported: ${r.why}.${r.accepted.length > 0 ? ` Accepted only as ${r.accepted.join(' or ')}.` : ''}`,
  validate: (value: string) => (r.accepted.includes(value) ? undefined : unsupportedMessage(r.name, value, r.why)),
}));

/**
 * Debezium's PostgreSQL connector (DEBEZIUM_VERSION) on a real Apache Kafka Connect worker, against the test run's
 * broker and Postgres: the reference that pipectl's CDC source is compared with (issue 16). `scripts/run-tests.mjs`
 * fetches the plugin's jars (jar set 'debezium', a plugin.path folder) before any test runs when a selected test
 * imports this module. Everything a test creates here — connector, replication slot, publication, database — is
 * removed by `cleanup()` (see CdcRun), which tests register with `t.after`.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DEBEZIUM_VERSION, ensureKafkaJars } from '../../src/devtools/kafka-jars.js';
import type { KafkaJars } from '../../src/devtools/kafka-jars.js';
import { startTestConnect } from './kafka-connect.js';
import type { KafkaConnectWorker, TestConnectOptions } from './kafka-connect.js';
import { kafkaBootstrap } from './kafka.js';
import { postgresTestUrl, psql } from './postgres.js';
import { readTopicRecords } from './topic-reader.js';
import type { TopicRecord } from './topic-reader.js';
import { http, waitFor } from './worker-process.js';

export { DEBEZIUM_VERSION };
export type { TopicRecord };

/** Debezium's connector class. */
export const DEBEZIUM_POSTGRES_CONNECTOR = 'io.debezium.connector.postgresql.PostgresConnector';

/** The class of pipectl's own CDC source (issue 16), which must accept Debezium's config with only this key changed. */
export const PIPECTL_POSTGRES_CONNECTOR = 'io.pipectl.connect.postgresql.PostgresConnector';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/** The Debezium plugin's jars (downloaded by Maven once, then cached); `pluginPath` is what plugin.path needs. */
export function debeziumPlugin(): Promise<KafkaJars> {
  return ensureKafkaJars({ jarSet: 'debezium' });
}

/**
 * A real Connect worker with Debezium's PostgreSQL connector on its plugin.path, against the test broker: distributed
 * unless `mode` says otherwise. Stop it in the test (it also dies with the test process).
 */
export async function startDebeziumConnect(options: Partial<TestConnectOptions> = {}): Promise<KafkaConnectWorker> {
  const plugin = await debeziumPlugin();
  return startTestConnect({
    mode: 'distributed',
    startTimeoutMs: 120_000,
    ...options,
    // Debezium's jars carry ServiceLoader manifests: the worker's plugin.discovery=service_load finds the connector.
    workerConfig: { 'plugin.path': plugin.pluginPath!, ...options.workerConfig },
  });
}

/** The names one CDC connector run owns: all unique, all valid as Debezium requires (`slot.name` is `[a-z0-9_]{1,63}`). */
export interface CdcNames {
  /** The connector's name on the worker. */
  connector: string;
  /** `topic.prefix`: topics are `<prefix>.<schema>.<table>`. */
  prefix: string;
  slot: string;
  publication: string;
}

let counter = 0;

/** Fresh names for one connector run, e.g. `dbz_41234_1_a1b2c3`. */
export function uniqueCdcNames(label = 'dbz'): CdcNames {
  counter += 1;
  const id = `${label}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return { connector: id.replace(/_/g, '-'), prefix: id, slot: `${id}_slot`, publication: `${id}_pub` };
}

/** The parts of a `postgresql://user[:password]@host:port/dbname` URL Debezium's config needs. */
export function databaseOf(url: string): { hostname: string; port: string; user: string; password: string; dbname: string } {
  const u = new URL(url);
  return { hostname: u.hostname, port: u.port || '5432', user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), dbname: u.pathname.replace(/^\//, '') };
}

/**
 * Debezium's PostgresConnector config for one database: pgoutput, the run's topic prefix, slot and publication,
 * `snapshot.mode=initial`, JsonConverter with schemas for key and value, one partition per topic. The same config,
 * with `connector.class` changed and nothing else, is what pipectl's connector must accept.
 */
export function debeziumConnectorConfig(databaseUrl: string, names: CdcNames, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const db = databaseOf(databaseUrl);
  return {
    'connector.class': DEBEZIUM_POSTGRES_CONNECTOR,
    'tasks.max': '1',
    'database.hostname': db.hostname,
    'database.port': db.port,
    'database.user': db.user,
    // The test server trusts 127.0.0.1 (no password); the key is only set when the URL has one.
    ...(db.password ? { 'database.password': db.password } : {}),
    'database.dbname': db.dbname,
    'topic.prefix': names.prefix,
    'plugin.name': 'pgoutput',
    'slot.name': names.slot,
    'publication.name': names.publication,
    'snapshot.mode': 'initial',
    'key.converter': JSON_CONVERTER,
    'key.converter.schemas.enable': 'true',
    'value.converter': JSON_CONVERTER,
    'value.converter.schemas.enable': 'true',
    // Connect creates the data topics itself (one partition each) instead of relying on the broker's auto-creation.
    'topic.creation.default.partitions': '1',
    'topic.creation.default.replication.factor': '1',
    ...extra,
  };
}

/** Creates a connector over Connect's REST API (Apache Connect's or a pipectl worker's); throws with the answer. */
export async function createConnector(workerUrl: string, name: string, config: Readonly<Record<string, string>>): Promise<void> {
  const res = await http('POST', `${workerUrl}/connectors`, { name, config });
  if (res.status !== 201) throw new Error(`POST ${workerUrl}/connectors ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Resolves once the connector and its task are RUNNING; throws with the task's trace when one FAILED. */
export async function waitForConnectorRunning(workerUrl: string, name: string, timeoutMs = 120_000): Promise<void> {
  type State = { state: string; trace?: string };
  const outcome = await waitFor(`${name} RUNNING with its task RUNNING`, async () => {
    const s = (await http('GET', `${workerUrl}/connectors/${name}/status`)).body as { connector?: State; tasks?: State[] } | null;
    const failed = failedTrace(s);
    if (failed !== null) return { failed };
    return s?.connector?.state === 'RUNNING' && s.tasks?.length === 1 && s.tasks[0]!.state === 'RUNNING' && { failed: null };
  }, timeoutMs, 200);
  if (outcome.failed !== null) throw new Error(`${name} FAILED: ${outcome.failed}`);
}

/** The first lines of the trace of a FAILED connector or task in a status answer; null when none failed. */
function failedTrace(status: { connector?: { state: string; trace?: string }; tasks?: { state: string; trace?: string }[] } | null): string | null {
  const failed = [status?.connector, ...(status?.tasks ?? [])].find((x) => x?.state === 'FAILED');
  return failed ? (failed.trace?.split('\n').slice(0, 12).join('\n') ?? '(no trace)') : null;
}

/** A check for waitForTopicCounts: the trace when the connector or its task FAILED (no point waiting then), else null. */
export function connectorFailure(workerUrl: string, name: string): () => Promise<string | null> {
  return async () => failedTrace((await http('GET', `${workerUrl}/connectors/${name}/status`)).body as never);
}

/** Deletes a connector (404 is fine); resolves once the worker no longer lists it. */
export async function deleteConnector(workerUrl: string, name: string): Promise<void> {
  const res = await http('DELETE', `${workerUrl}/connectors/${name}`);
  if (res.status !== 204 && res.status !== 404) throw new Error(`DELETE ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  await waitFor(`${name} to be gone`, async () => (await http('GET', `${workerUrl}/connectors/${name}`)).status === 404, 60_000, 100);
}

/**
 * Drops the run's replication slot (once its walsender has let go of it: a stopped connector's connection closes
 * asynchronously) and publication, then the database itself. Call after the connector is deleted.
 */
export async function dropCdcDatabase(databaseUrl: string, names: Pick<CdcNames, 'slot' | 'publication'>): Promise<void> {
  const admin = await postgresTestUrl();
  const slot = names.slot.replace(/'/g, "''");
  await waitFor(`replication slot ${names.slot} to be released`, async () => {
    const active = await psql(admin, `SELECT active_pid FROM pg_replication_slots WHERE slot_name = '${slot}'`);
    if (active !== '') await psql(admin, `SELECT pg_terminate_backend(${active})`);
    await psql(admin, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}' AND NOT active`);
    return (await psql(admin, `SELECT count(*) FROM pg_replication_slots WHERE slot_name = '${slot}'`)) === '0';
  }, 60_000, 200);
  const dbname = databaseOf(databaseUrl).dbname;
  await psql(admin, `DROP DATABASE IF EXISTS "${dbname.replace(/"/g, '""')}" WITH (FORCE)`);
}

/** Every topic of the broker whose name starts with `<prefix>.`, sorted. */
export async function topicsWithPrefix(bootstrap: string, prefix: string): Promise<string[]> {
  const admin = new Kafka({ clientId: 'pipectl-test-topics', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).sort();
  } finally {
    await admin.disconnect();
  }
}

/** The number of records in a topic (end minus start offsets of all partitions); 0 when it does not exist yet. */
export async function topicRecordCount(bootstrap: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'pipectl-test-topics', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until each topic holds at least its expected number of records (topics that do not exist yet count 0);
 * resolves with the counts seen. Rejects on timeout, naming the counts seen.
 */
export async function waitForTopicCounts(bootstrap: string, expected: Readonly<Record<string, number>>, timeoutMs = 180_000, failure?: () => Promise<string | null>): Promise<Record<string, number>> {
  let seen: Record<string, number> = {};
  const outcome = await waitFor(`records in ${JSON.stringify(expected)}`, async () => {
    const failed = await failure?.();
    if (failed) return { failed };
    seen = {};
    for (const topic of Object.keys(expected)) seen[topic] = await topicRecordCount(bootstrap, topic);
    return Object.entries(expected).every(([topic, n]) => seen[topic]! >= n) && { failed: null };
  }, timeoutMs, 250).catch((e: Error) => {
    throw new Error(`${e.message}; seen ${JSON.stringify(seen)}`);
  });
  if (outcome.failed !== null) throw new Error(`the connector FAILED while records were awaited (seen ${JSON.stringify(seen)}): ${outcome.failed}`);
  return seen;
}

/**
 * waitForTopicCounts, then reads every record of those topics: keys, values and headers as the producer wrote them
 * (raw JSON text), in offset order.
 */
export async function readCdcTopics(bootstrap: string, expected: Readonly<Record<string, number>>, timeoutMs = 180_000, failure?: () => Promise<string | null>): Promise<Record<string, TopicRecord[]>> {
  const seen = await waitForTopicCounts(bootstrap, expected, timeoutMs, failure);
  const out: Record<string, TopicRecord[]> = {};
  for (const topic of Object.keys(expected)) out[topic] = seen[topic] === 0 ? [] : await readTopicRecords(bootstrap, topic, timeoutMs);
  return out;
}

/** One connector run against one database: its names, config and topic prefix, and how to undo all of it. */
export interface CdcRun {
  names: CdcNames;
  databaseUrl: string;
  config: Record<string, string>;
  bootstrap: string;
  /** Deletes the connector, then drops the slot, publication and database; never throws (reports to `onError`). */
  cleanup(onError?: (e: unknown) => void): Promise<void>;
}

/**
 * Creates the connector for `databaseUrl` on the worker at `workerUrl` and waits until its task runs. `config` is
 * debeziumConnectorConfig's unless given (pipectl's half passes the same with its class).
 */
export async function startCdcRun(workerUrl: string, databaseUrl: string, names: CdcNames, config: Record<string, string> = debeziumConnectorConfig(databaseUrl, names)): Promise<CdcRun> {
  const bootstrap = await kafkaBootstrap();
  const cleanup = async (onError: (e: unknown) => void = () => {}): Promise<void> => {
    await deleteConnector(workerUrl, names.connector).catch(onError);
    await dropCdcDatabase(databaseUrl, names).catch(onError);
  };
  try {
    await createConnector(workerUrl, names.connector, config);
    await waitForConnectorRunning(workerUrl, names.connector);
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { names, databaseUrl, config, bootstrap, cleanup };
}

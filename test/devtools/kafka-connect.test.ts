import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KAFKA_VERSION } from '../../src/devtools/kafka-jars.js';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { uniqueTopic } from '../support/kafka.js';
import { startTestConnect } from '../support/kafka-connect.js';
import type { KafkaConnectWorker } from '../support/kafka-connect.js';
import { closedPort, holdPort } from '../support/ports.js';
import { waitFor, http } from '../support/worker-process.js';

const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

/** The REST root names Kafka's version, and the file connectors on the classpath are found as plugins. */
async function assertRealConnect(worker: KafkaConnectWorker): Promise<void> {
  assert.equal(worker.version, KAFKA_VERSION);
  const root = await http('GET', `${worker.url}/`);
  assert.equal(root.status, 200);
  assert.equal((root.body as { version: string }).version, KAFKA_VERSION);
  const plugins = await http('GET', `${worker.url}/connector-plugins`);
  assert.equal(plugins.status, 200);
  const classes = (plugins.body as { class: string }[]).map((p) => p.class);
  assert.ok(classes.includes(FILE_SOURCE) && classes.includes(FILE_SINK), `file connectors in ${classes.join(', ')}`);
}

async function connectorState(worker: KafkaConnectWorker, name: string): Promise<string | undefined> {
  const status = await http('GET', `${worker.url}/connectors/${name}/status`);
  return status.status === 200 ? (status.body as { connector: { state: string } }).connector.state : undefined;
}

/** stop() (SIGTERM) ends the JVM; a second stop() is a no-op. */
async function assertStops(worker: KafkaConnectWorker): Promise<void> {
  await worker.stop();
  assert.throws(() => process.kill(worker.pid, 0), { code: 'ESRCH' }, 'no Connect JVM is left');
  await worker.stop();
}

test('a real Connect standalone worker runs a connector file, lists the file plugins, and stop() leaves no JVM nor temporary folder', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-connect-standalone-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'in.txt'), 'one\n');
  const connectorFile = join(dir, 'source.properties');
  writeFileSync(connectorFile, `name=file-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=${join(dir, 'in.txt')}\ntopic=${uniqueTopic('connect-standalone')}\n`);
  const worker = await startTestConnect({ mode: 'standalone', connectorFiles: [connectorFile] });
  try {
    t.diagnostic(`standalone REST ready in ${worker.startedMs} ms at ${worker.url}`);
    assert.equal(worker.url, `http://127.0.0.1:${worker.port}`);
    assert.equal(worker.groupId, null);
    assert.ok(isProcessAlive(worker.pid));
    await assertRealConnect(worker);
    await waitFor('the connector of the file given at start to run', async () => (await connectorState(worker, 'file-source')) === 'RUNNING', 30_000, 200);
  } finally {
    await assertStops(worker);
  }
  assert.equal(existsSync(worker.dataDir), false, 'the temporary data folder is removed');
});

test('a real Connect distributed worker joins its group and moves lines file → topic → file through FileStreamSource and FileStreamSink', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-connect-distributed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const input = join(dir, 'in.txt');
  const output = join(dir, 'out.txt');
  writeFileSync(input, 'alpha\nbeta\ngamma\n');
  const worker = await startTestConnect({ mode: 'distributed', dataDir: join(dir, 'worker') });
  try {
    t.diagnostic(`distributed REST ready in ${worker.startedMs} ms at ${worker.url}, group ${worker.groupId}`);
    assert.match(worker.groupId ?? '', /^pipectl-connect-[0-9a-f]{8}$/);
    assert.equal(worker.workerConfig['offset.storage.topic'], `${worker.groupId}-offsets`);
    await assertRealConnect(worker);
    const topic = uniqueTopic('connect-file');
    const source = await http('POST', `${worker.url}/connectors`, { name: 'lines-in', config: { 'connector.class': FILE_SOURCE, 'tasks.max': '1', file: input, topic } });
    assert.equal(source.status, 201, JSON.stringify(source.body));
    const sink = await http('POST', `${worker.url}/connectors`, { name: 'lines-out', config: { 'connector.class': FILE_SINK, 'tasks.max': '1', file: output, topics: topic } });
    assert.equal(sink.status, 201, JSON.stringify(sink.body));
    const lines = (): string[] => (existsSync(output) ? readFileSync(output, 'utf8').split('\n').filter((l) => l !== '') : []);
    await waitFor('the three lines in the sink file', () => lines().length >= 3, 60_000, 200);
    assert.deepEqual(lines(), ['alpha', 'beta', 'gamma']);
    const listed = await http('GET', `${worker.url}/connectors`);
    assert.deepEqual((listed.body as string[]).sort(), ['lines-in', 'lines-out']);
  } finally {
    await assertStops(worker);
  }
  assert.ok(existsSync(join(dir, 'worker', 'connect.log')), 'a given dataDir is kept, with the log');
  assert.match(readFileSync(join(dir, 'worker', 'connect.log'), 'utf8'), /Kafka Connect started/);
});

test('kill() ends a Connect worker with SIGKILL', { timeout: 120_000 }, async () => {
  const worker = await startTestConnect({ mode: 'standalone' });
  await worker.kill();
  assert.equal(await worker.exited, null, 'killed by a signal');
  assert.equal(isProcessAlive(worker.pid), false);
  assert.equal(existsSync(worker.dataDir), false);
});

test('a worker not ready within the start timeout is killed, and the error carries the tail of its log', { timeout: 60_000 }, async () => {
  let pid: number | undefined;
  await assert.rejects(startTestConnect({ mode: 'standalone', startTimeoutMs: 1 }), (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'PIPECTL_DEV_CONNECT_TIMEOUT');
    assert.match((e as Error).message, /did not become ready within 1 ms; it was killed \(log: .*connect\.log\)\n {2}\| === pipectl: Kafka Connect/);
    pid = (e as { pid?: number }).pid;
    return true;
  });
  assert.ok(pid !== undefined && !isProcessAlive(pid), 'the JVM is gone');
});

test('a taken REST port, or no broker at the bootstrap, fails at once: no JVM is started', async () => {
  const held = await holdPort();
  try {
    await assert.rejects(startTestConnect({ mode: 'distributed', port: held.port }), {
      name: 'DevToolsError', code: 'PIPECTL_DEV_PORT_IN_USE', message: `Connect REST port 127.0.0.1:${held.port} is already in use (choose another port, or 0 for a free one)`,
    });
  } finally {
    await held.close();
  }
  const port = await closedPort();
  await assert.rejects(startTestConnect({ mode: 'standalone', bootstrap: `127.0.0.1:${port}` }), {
    name: 'DevToolsError', code: 'PIPECTL_DEV_CONNECT_FAILED', message: `no Kafka broker at 127.0.0.1:${port} (ECONNREFUSED): start one first, e.g. "pipectl dev kafka"`,
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEBEZIUM_VERSION, KAFKA_VERSION } from '../../src/devtools/kafka-jars.js';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { kafkaBootstrap } from '../support/kafka.js';
import { closedPort } from '../support/ports.js';
import { runCli, spawnCli } from '../support/run-cli.js';
import { http } from '../support/worker-process.js';

const READY = new RegExp(`^Kafka Connect ${KAFKA_VERSION.replaceAll('.', '\\.')} \\(distributed\\) ready at (http://127\\.0\\.0\\.1:\\d+) \\(started in \\d+ ms\\)\\n$`);

test('pipectl dev connect runs a real distributed worker in the foreground; SIGTERM stops it and exits 0', { timeout: 120_000 }, async () => {
  const bootstrap = await kafkaBootstrap();
  const cli = spawnCli(['dev', 'connect', '--mode', 'distributed', '--bootstrap', bootstrap, '--port', '0']);
  const { url, pid } = await cli.waitForOutput((stdout, stderr) => {
    const url = READY.exec(stdout)?.[1];
    const pid = /^pid (\d+); group\.id pipectl-connect-[0-9a-f]+; log: /m.exec(stderr)?.[1];
    return url && pid ? { url, pid: Number(pid) } : undefined;
  });
  assert.equal(((await http('GET', `${{ url }.url}/`)).body as { version: string }).version, KAFKA_VERSION);
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0, cli.stderr());
  assert.match(cli.stderr(), /Kafka Connect stopped\n$/);
  assert.equal(isProcessAlive(pid), false, 'no JVM left');
});

test("pipectl dev connect --debezium: Debezium's PostgresConnector is among the worker's plugins", { timeout: 180_000 }, async () => {
  const bootstrap = await kafkaBootstrap();
  const cli = spawnCli(['dev', 'connect', '--debezium', '--bootstrap', bootstrap, '--port', '0']);
  try {
    const url = await cli.waitForOutput((stdout, stderr) => (/; plugin\.path \S+debezium-[^/]+\/plugins; log: /.test(stderr) ? /ready at (\S+) /.exec(stdout)?.[1] : undefined));
    const plugins = (await http('GET', `${url}/connector-plugins`)).body as { class: string; version: string }[];
    assert.deepEqual(plugins.filter((p) => p.class === 'io.debezium.connector.postgresql.PostgresConnector').map((p) => p.version), [DEBEZIUM_VERSION]);
  } finally {
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0, cli.stderr());
  }
});

test('dev connect errors are one line and exit 1: a bad mode, connector files in distributed mode, no broker', async () => {
  const badMode = runCli(['dev', 'connect', '--mode', 'cluster']);
  assert.equal(badMode.code, 1);
  assert.equal(badMode.stderr, 'Error: --mode must be standalone or distributed, not "cluster"\n');
  const files = runCli(['dev', 'connect', '--mode', 'distributed', 'a.properties']);
  assert.equal(files.code, 1);
  assert.match(files.stderr, /^Error: connector files are for --mode standalone/);
  const port = await closedPort();
  const noBroker = runCli(['dev', 'connect', '--bootstrap', `127.0.0.1:${port}`, '--port', '0']);
  assert.equal(noBroker.code, 1);
  assert.equal(noBroker.stderr, `Error: no Kafka broker at 127.0.0.1:${port} (ECONNREFUSED): start one first, e.g. "pipectl dev kafka" [PIPECTL_DEV_CONNECT_FAILED]\n`);
});

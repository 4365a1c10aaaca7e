import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { isDevBroker } from '../../src/devtools/background-broker.js';
import { KAFKA_VERSION } from '../../src/devtools/kafka-jars.js';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { runCli, spawnCli } from '../support/run-cli.js';

const READY = new RegExp(`^Kafka ${KAFKA_VERSION.replaceAll('.', '\\.')} ready at (127\\.0\\.0\\.1:\\d+) \\(started in \\d+ ms\\)\\n$`);

async function describeCluster(bootstrap: string): Promise<number> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect();
  }
}

test('pipectl dev kafka --background starts a broker and returns; pipectl dev kafka stop stops it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-'));
  let pid: number | undefined;
  t.after(() => {
    if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const started = runCli(['dev', 'kafka', '--background', '--port', '0'], { cwd: dir });
  assert.equal(started.code, 0, started.stderr);
  const bootstrap = READY.exec(started.stdout)?.[1];
  assert.ok(bootstrap, started.stdout);
  const [pidLine, bootstrapLine] = readFileSync(join(dir, '.pipectl', 'kafka.pid'), 'utf8').split('\n');
  pid = Number(pidLine);
  assert.equal(bootstrapLine, bootstrap);
  assert.ok(isDevBroker(pid), 'the pid file names a running broker JVM');
  assert.ok(existsSync(join(dir, '.pipectl', 'kafka', 'kraft', 'meta.properties')), 'the default data folder is .pipectl/kafka');
  assert.equal(await describeCluster(bootstrap), 1, 'the broker outlives the command that started it');

  const again = runCli(['dev', 'kafka', '--background', '--port', '0'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^Error: a Kafka broker is already running at 127\.0\.0\.1:\d+ \(pid \d+, \.pipectl\/kafka\.pid\); stop it with \"pipectl dev kafka stop\" \[PIPECTL_DEV_ALREADY_RUNNING\]\n$/);

  const stopped = runCli(['dev', 'kafka', 'stop'], { cwd: dir });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(stopped.stdout, `Kafka at ${bootstrap} stopped (pid ${pid})\n`);
  assert.equal(isProcessAlive(pid), false);
  assert.equal(existsSync(join(dir, '.pipectl', 'kafka.pid')), false);

  const none = runCli(['dev', 'kafka', 'stop'], { cwd: dir });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^Error: no broker pid file at \.pipectl\/kafka\.pid .*\[PIPECTL_DEV_NOT_RUNNING\]\n$/);
});

test('a broker started with --pid-file is stopped by the command it prints, pasted as is', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-'));
  let pid: number | undefined;
  t.after(() => {
    if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const started = runCli(['dev', 'kafka', '--background', '--port', '0', '--data-dir', 'k', '--pid-file', 'run/k.pid'], { cwd: dir });
  assert.equal(started.code, 0, started.stderr);
  pid = Number(readFileSync(join(dir, 'run', 'k.pid'), 'utf8').split('\n')[0]);
  const printed = /stop with "pipectl (dev kafka stop --pid-file run\/k\.pid)"\n$/.exec(started.stderr)?.[1];
  assert.ok(printed, started.stderr);
  const again = runCli(['dev', 'kafka', '--background', '--port', '0', '--data-dir', 'k', '--pid-file', 'run/k.pid'], { cwd: dir });
  assert.match(again.stderr, /stop it with "pipectl dev kafka stop --pid-file run\/k\.pid"/);
  // Before the fix commander gave --pid-file to `dev kafka`, and `stop` looked for .pipectl/kafka.pid.
  const stopped = runCli(printed.split(' '), { cwd: dir });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(isProcessAlive(pid), false);
});

test('pipectl dev kafka in the foreground prints the ready line, and SIGTERM stops the broker and exits 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = spawnCli(['dev', 'kafka', '--port', '0', '--data-dir', 'data'], { cwd: dir });
  const jvmPid = await cli.waitForOutput((stdout, stderr) => {
    const pid = /^pid (\d+); data: /m.exec(stderr)?.[1];
    return READY.test(stdout) && pid ? Number(pid) : undefined;
  });
  assert.ok(isDevBroker(jvmPid));
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0, cli.stderr());
  assert.match(cli.stderr(), /Stopping Kafka\.\.\.\nKafka stopped\n$/);
  assert.equal(isProcessAlive(jvmPid), false, 'no JVM left');
});

test('dev kafka errors are one line and exit 1: a taken port, no java', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const taken = runCli(['dev', 'kafka', '--port', String(port)]);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr, `Error: broker port 127.0.0.1:${port} is already in use (choose another port, or 0 for a free one) [PIPECTL_DEV_PORT_IN_USE]\n`);
  } finally {
    server.close();
  }
  const noJava = runCli(['dev', 'kafka', '--port', '0'], { env: { PATH: '/nonexistent', JAVA_HOME: undefined } });
  assert.equal(noJava.code, 1);
  assert.equal(noJava.stderr, 'Error: java not found: install a Java 17+ runtime, or set JAVA_HOME [PIPECTL_DEV_JAVA_MISSING]\n');
});

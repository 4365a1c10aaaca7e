/**
 * pipectl as a client of a secured runtime, end to end: a real standalone worker with an HTTPS-only listener (PKCS12
 * key store), ssl.client.auth=required and Basic auth (JAAS file from KAFKA_OPTS, as Connect deployments set it);
 * the real CLI plans, applies and imports with --ca-file, --client-cert, --client-key and --basic-auth-file. Missing
 * or wrong credentials are refused with messages that say what to fix, and no password reaches a log or an answer.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nodeRequest } from '../../src/herder/node-request.js';
import { writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import type { CliResult } from '../support/run-cli.js';
import { startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { httpsWorkerConfig, makeTestCerts } from '../support/tls-certs.js';
import type { TestCerts } from '../support/tls-certs.js';

const USER_PASSWORD = 'Deployer-Pw-31';
const BASIC_AUTH = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';
const MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';

let tree: { dir: string; cleanup: () => void };
let certs: TestCerts;
let worker: WorkerProcess;
const outputs: CliResult[] = [];
const answers: string[] = [];

const PIPELINE = `apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: secured}
spec:
  connectors:
    - name: secured-gen
      class: Generator
      config: {topic: secured, count: 20, seed: 1}
    - name: secured-sink
      class: FileStreamSink
      config: {topics: secured, file: secured.txt, value.converter: org.apache.kafka.connect.json.JsonConverter, value.converter.schemas.enable: false}
`;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: secured\n', 'pipelines/secured.yaml': PIPELINE, 'users.properties': `deployer: ${USER_PASSWORD}\n`, 'deployer.auth': `deployer:${USER_PASSWORD}\n`, 'wrong.auth': 'deployer:not-the-password\n' });
  mkdirSync(join(tree.dir, 'certs'));
  certs = makeTestCerts(join(tree.dir, 'certs'));
  writeFileSync(join(tree.dir, 'jaas.conf'), `KafkaConnect {\n  ${MODULE} required\n  file="${join(tree.dir, 'users.properties')}";\n};\n`);
  worker = await startWorker({
    dir: tree.dir,
    // Basic auth from the JAAS file named in KAFKA_OPTS, as Connect deployments set it (not the pipectl key).
    config: { ...httpsWorkerConfig(certs), 'rest.extension.classes': BASIC_AUTH },
    env: { KAFKA_OPTS: `-Djava.security.auth.login.config=${join(tree.dir, 'jaas.conf')}` },
    extraArgs: ['--log-level', 'debug'],
    startTimeoutMs: 60_000,
  });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const TLS_FLAGS = (): string[] => ['--ca-file', certs.caPem, '--client-cert', certs.clientCert, '--client-key', certs.clientKey];
function cli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = runCli([...args, '--url', worker.url, '--runtime-timeout', '60'], { cwd: tree.dir, env: { PIPECTL_BASIC_AUTH: '', ...env } });
  outputs.push(r);
  return r;
}

test('the worker listens on https only and plain HTTP gets no answer', async () => {
  assert.match(worker.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  await assert.rejects(nodeRequest(`${worker.url.replace('https:', 'http:')}/connectors`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(30_000) }));
});

test('plan and apply succeed with --ca-file, a client certificate and --basic-auth-file; plan then shows no changes', async () => {
  const applied = cli(['apply', '--auto-approve', ...TLS_FLAGS(), '--basic-auth-file', 'deployer.auth']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /Apply complete!/);
  await waitFor('20 records in the sink', () => existsSync(join(tree.dir, 'secured.txt')) && readFileSync(join(tree.dir, 'secured.txt'), 'utf8').split('\n').filter(Boolean).length === 20, 60_000);
  const plan = cli(['plan', '--detailed-exitcode', ...TLS_FLAGS()], { PIPECTL_BASIC_AUTH: `deployer:${USER_PASSWORD}` });
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  const imported = cli(['import', ...TLS_FLAGS(), '--basic-auth-file', 'deployer.auth']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /name: secured-gen/);
  // status reads /metrics over the same TLS and credentials.
  const status = cli(['status', '--json', ...TLS_FLAGS(), '--basic-auth-file', 'deployer.auth']);
  assert.equal(status.code, 0, status.stderr);
  const view = JSON.parse(status.stdout) as { metrics: boolean; rows: { connector: string; state: string }[] };
  assert.equal(view.metrics, true);
  assert.ok(view.rows.length > 0 && view.rows.every((r) => r.state === 'RUNNING'), status.stdout);
  assert.doesNotMatch(status.stdout + status.stderr, new RegExp(USER_PASSWORD));
});

test('pipectl.yaml runtime.tls serves as well as the flags (paths relative to pipectl.yaml)', () => {
  mkdirSync(join(tree.dir, 'sub'), { recursive: true });
  writeFileSync(join(tree.dir, 'pipectl.yaml'), `project: secured\nruntime:\n  url: ${worker.url}\n  tls: {caFile: certs/ca.pem, clientCert: certs/client.pem, clientKey: certs/client.key}\n`);
  try {
    const r = runCli(['plan', '../pipelines', '--detailed-exitcode', '--basic-auth-file', '../deployer.auth'], { cwd: join(tree.dir, 'sub'), env: { PIPECTL_BASIC_AUTH: '' } });
    outputs.push(r);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  } finally {
    writeFileSync(join(tree.dir, 'pipectl.yaml'), 'project: secured\n');
  }
});

test('no or wrong credentials: 401, reported as a refusal that asks to check the credentials', () => {
  for (const auth of [[], ['--basic-auth-file', 'wrong.auth']]) {
    const r = cli(['plan', ...TLS_FLAGS(), ...auth]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /HTTP 401\): User cannot access the resource\.; check the credentials \[PIPECTL_RUNTIME_ERROR\]/);
  }
});

test('a wrong CA and a missing client certificate fail the handshake with PIPECTL_RUNTIME_TLS saying what to fix; http:// on the https port says to use https://', () => {
  const wrongCa = cli(['plan', '--ca-file', certs.otherCaPem, '--client-cert', certs.clientCert, '--client-key', certs.clientKey, '--basic-auth-file', 'deployer.auth']);
  assert.equal(wrongCa.code, 1);
  assert.match(wrongCa.stderr, /\[PIPECTL_RUNTIME_TLS\]/);
  assert.ok(wrongCa.stderr.includes(new URL(worker.url).host) && wrongCa.stderr.includes(certs.otherCaPem) && wrongCa.stderr.includes('--ca-file'), wrongCa.stderr);
  const noCert = cli(['plan', '--ca-file', certs.caPem, '--basic-auth-file', 'deployer.auth']);
  assert.equal(noCert.code, 1);
  assert.match(noCert.stderr, /requires a client certificate .*--client-cert FILE and --client-key FILE.*\[PIPECTL_RUNTIME_TLS\]/);
  const plainHttp = runCli(['plan', '--url', worker.url.replace('https:', 'http:'), '--runtime-timeout', '0'], { cwd: tree.dir });
  assert.equal(plainHttp.code, 1);
  assert.match(plainHttp.stderr, /if the runtime listens with https:\/\/ on that port, use an https:\/\/ URL \[PIPECTL_RUNTIME_UNREACHABLE\]/);
  const halfCert = cli(['plan', '--ca-file', certs.caPem, '--client-cert', certs.clientCert]);
  assert.match(halfCert.stderr, /--client-cert is given without --client-key.*\[PIPECTL_TARGET_TLS_FILE\]/);
});

test('no password or key store password appears in the worker log, the CLI output or a REST answer', async () => {
  const tls = { ca: readFileSync(certs.caPem), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) };
  const authorization = `Basic ${Buffer.from(`deployer:${USER_PASSWORD}`).toString('base64')}`;
  for (const path of ['/', '/connectors?expand=info&expand=status', '/connectors/secured-sink/config', '/connector-plugins']) {
    const res = await nodeRequest(worker.url + path, { method: 'GET', headers: { authorization }, tls, signal: AbortSignal.timeout(30_000) });
    assert.equal(res.status, 200, path);
    answers.push(res.text);
  }
  const log = worker.log();
  assert.match(log, /REST server listening url=https:\/\/127\.0\.0\.1:\d+ client_auth=required auth=basic/);
  assert.match(log, /principal=deployer/, 'requests are logged with who sent them');
  for (const secret of [USER_PASSWORD, certs.keystorePassword]) {
    assert.ok(!log.includes(secret), `the worker log holds ${secret}`);
    for (const o of outputs) assert.ok(!o.stdout.includes(secret) && !o.stderr.includes(secret), `CLI output holds ${secret}`);
    for (const a of answers) assert.ok(!a.includes(secret), `a REST answer holds ${secret}`);
  }
});

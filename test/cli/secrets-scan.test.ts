/**
 * Issue 14, "nothing leaked": one pipeline holding every kind of secret — a `${env:…}` and a `${file:…}` reference, a
 * `--var` used in a secret key, a `--header` value, passwords inside a URL (`user:pw@host` and `password=`), and a
 * literal `database.password` — and every output form scanned for their values: plan text, `plan --json`,
 * `plan --markdown`, the saved plan file, apply's JSON events and text, `import` (stdout, stderr, `--out` file), the
 * worker's debug log, its REST answers (config, status, tasks, expanded list) and every file under its data.dir.
 *
 * What pipectl *sends* the runtime as config is stored and returned by it as Connect does (GET /config): literal
 * values the user wrote (the literal password, the URL passwords, the substituted --var) are stored, like Connect.
 * Reference values (env, file) are resolved only inside the worker and must appear nowhere; the header never leaves
 * the client. Status traces and logs are redacted for all of them. Real CLI, real standalone worker at debug level.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

const S = {
  env: 'envsecret-9f1c0d',
  file: 'filesecret-77ab42',
  var: 'varpw-4c2e19',
  header: 'hdrtok-2b7d85',
  urlUser: 'urlpw-3e8b07',
  urlParam: 'qpw-61aa93',
  literal: 'literalpw-5d3a26',
};
/** Values the user wrote into the config (or substituted with --var): stored by the runtime as Connect stores them. */
const STORED_AS_WRITTEN = new Set([S.var, S.urlUser, S.urlParam, S.literal]);

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({
    'pipectl.yaml': 'project: scan\n',
    'secrets/db.properties': `password=${S.file}\n`,
  });
  const secrets = join(tree.dir, 'secrets');
  writeFileSync(
    join(tree.dir, 'pipelines.yaml'),
    `apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: scan}
spec:
  connectors:
    - name: db-sink
      class: FileStreamSink
      config:
        topics: t
        file: out.txt
        database.password: "${S.literal}"
        connection.password: "\${var:DBPW}"
        connection.url: "jdbc:postgresql://app:${S.urlUser}@db.example:5432/orders?ssl=true&password=${S.urlParam}"
        vault.token: "\${env:DB_ENV_PW}"
        secret.from.file: "\${file:${secrets}/db.properties:password}"
    # Its task fails opening a path built from both references: the trace holds the resolved values.
    - name: leaky
      class: FileStreamSink
      config:
        topics: t
        file: "/proc/no-such-dir-\${env:DB_ENV_PW}/x-\${file:${secrets}/db.properties:password}/out.txt"
`,
  );
  worker = await startWorker({
    dir: tree.dir,
    env: { DB_ENV_PW: S.env },
    extraArgs: ['--log-level', 'debug'],
    config: {
      'config.providers': 'env,file',
      'config.providers.env.class': 'EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': 'DB_.*',
      'config.providers.file.class': 'FileConfigProvider',
      'config.providers.file.param.allowed.paths': secrets,
    },
  });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const flags = ['--var', `DBPW=${S.var}`, '--header', `X-Auth: ${S.header}`, '--url', '', '--no-color'];
const cli = (...args: string[]) => runCli([...args, ...flags.map((f) => (f === '' ? worker.url : f))], { cwd: tree.dir });
const both = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;

function leaks(text: string, allowed: ReadonlySet<string> = new Set()): string[] {
  return Object.entries(S).flatMap(([kind, value]) => (!allowed.has(value) && text.includes(value) ? [kind] : []));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

test('no secret value in any output form', async () => {
  const found: Record<string, string[]> = {};
  const scan = (form: string, text: string, allowed?: ReadonlySet<string>): void => {
    const l = leaks(text, allowed);
    if (l.length > 0) found[form] = l;
  };

  const plan = cli('plan', 'pipelines.yaml');
  assert.equal(plan.code, 0, both(plan));
  assert.match(plan.stdout, /jdbc:postgresql:\/\/app:\(sensitive\)@db\.example:5432\/orders\?ssl=true&password=\(sensitive\)/, 'the rest of the URL stays reviewable');
  scan('plan text', both(plan));
  scan('plan --json', both(cli('plan', 'pipelines.yaml', '--json')));
  scan('plan --markdown', both(cli('plan', 'pipelines.yaml', '--markdown')));
  const saved = cli('plan', 'pipelines.yaml', '--out', 'saved.plan');
  scan('plan --out (output)', both(saved));
  scan('saved plan file', readFileSync(join(tree.dir, 'saved.plan'), 'utf8'));
  assert.equal(statSync(join(tree.dir, 'saved.plan')).mode & 0o777, 0o600);

  const applyJson = cli('apply', 'pipelines.yaml', '--auto-approve', '--json', '--wait-timeout', '20');
  assert.equal(applyJson.code, 1, `leaky's task fails:\n${both(applyJson)}`);
  assert.match(applyJson.stdout, /"operation_failed"/);
  scan('apply --json', both(applyJson));
  const applyText = cli('apply', 'pipelines.yaml', '--auto-approve', '--wait-timeout', '20');
  assert.equal(applyText.code, 1, both(applyText));
  assert.match(applyText.stdout, /\[hidden\]/, 'the trace shows where the secrets were');
  scan('apply text', both(applyText));

  const imported = runCli(['import', '--out', 'imported.yaml', '--header', `X-Auth: ${S.header}`, '--url', worker.url], { cwd: tree.dir });
  assert.equal(imported.code, 0, both(imported));
  scan('import (output)', both(imported));
  const importedYaml = readFileSync(join(tree.dir, 'imported.yaml'), 'utf8');
  scan('import --out file', importedYaml);
  assert.match(importedYaml, /jdbc:postgresql:\/\/app:\$\{env:DB_SINK_CONNECTION_URL_PASSWORD\}@db\.example/);
  assert.equal(statSync(join(tree.dir, 'imported.yaml')).mode & 0o777, 0o600);
  const importStdout = runCli(['import', '--header', `X-Auth: ${S.header}`, '--url', worker.url], { cwd: tree.dir });
  scan('import stdout', both(importStdout));

  for (const name of ['db-sink', 'leaky']) {
    scan(`GET /connectors/${name}/status`, JSON.stringify((await http('GET', `${worker.url}/connectors/${name}/status`)).body));
    scan(`GET /connectors/${name}/config`, JSON.stringify((await http('GET', `${worker.url}/connectors/${name}/config`)).body), STORED_AS_WRITTEN);
    scan(`GET /connectors/${name}/tasks`, JSON.stringify((await http('GET', `${worker.url}/connectors/${name}/tasks`)).body), STORED_AS_WRITTEN);
  }
  scan('GET /connectors?expand=…', JSON.stringify((await http('GET', `${worker.url}/connectors?expand=info&expand=status`)).body), STORED_AS_WRITTEN);

  // Statuses and task configs are flushed to data.dir asynchronously: wait until leaky's failure is there.
  const dataDir = join(tree.dir, 'data');
  await waitFor('data.dir to hold the connectors', () => filesUnder(dataDir).length > 0, 10_000);
  for (const f of filesUnder(dataDir)) {
    scan(`data.dir ${f.slice(dataDir.length)}`, readFileSync(f).toString('latin1'), STORED_AS_WRITTEN);
  }
  assert.match(worker.log(), /DEBUG/, 'the worker logs at debug level');
  scan('worker log (debug)', worker.log());

  assert.deepEqual(found, {}, 'forms that hold a secret value, and which');
});

/**
 * Secrets by reference on a real worker: `${env:…}` and `${file:…}` resolve inside the worker (the connector works),
 * and the resolved values appear nowhere the worker writes: its log, any REST response, or its on-disk state.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('resolved secrets never reach logs, REST responses or on-disk state', async () => {
  const token = `tok-${randomBytes(8).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const outName = `sink-${randomBytes(8).toString('hex')}.txt`;
  const tree = writeTree({ 'secrets/app.properties': `out.name=${outName}\ndb.password=${password}\n` });
  const outPath = join(tree.dir, outName);
  const secretsFile = join(tree.dir, 'secrets', 'app.properties');
  const worker = await startWorker({
    dir: tree.dir,
    env: { SECRET_TOKEN: token },
    config: {
      'config.providers': 'env,file',
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'plugin.path': PLUGINS,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
  });
  const responses: string[] = [];
  const get = async (path: string): Promise<any> => {
    const r = await http('GET', `${worker.url}${path}`);
    responses.push(JSON.stringify(r.body));
    return r.body;
  };
  try {
    const created = [
      await http('POST', `${worker.url}/connectors`, { name: 'gen', config: { 'connector.class': 'Generator', topic: 'secret-test', count: '50', 'api.token': '${env:SECRET_TOKEN}' } }),
      // The sink's output file name comes from the secrets file: data arriving there proves the reference resolved.
      await http('POST', `${worker.url}/connectors`, {
        name: 'sink',
        config: { 'connector.class': 'FileStreamSink', topics: 'secret-test', file: `${tree.dir}/\${file:${secretsFile}:out.name}`, 'producer.override.ssl.key.password': `\${file:${secretsFile}:db.password}` },
      }),
      // A plugin that puts its resolved secret into its error message: the trace must not show it.
      await http('POST', `${worker.url}/connectors`, { name: 'leaky', config: { 'connector.class': 'test.MisbehavingSourceConnector', 'fail.in': 'poll', 'secret.echo': '${env:SECRET_TOKEN}' } }),
    ];
    for (const r of created) {
      assert.equal(r.status, 201);
      responses.push(JSON.stringify(r.body));
    }
    await waitFor('50 records in the file named by the secret', () => existsSync(outPath) && readFileSync(outPath, 'utf8').split('\n').filter(Boolean).length === 50, 30_000);
    const leaky = await waitFor('the leaky task to fail', async () => {
      const s = await get('/connectors/leaky/status');
      return s.tasks[0]?.state === 'FAILED' ? s.tasks[0] : undefined;
    });
    assert.match(leaky.trace, /boom in poll \(using \[hidden\]\)/, 'the trace keeps its message, with the secret hidden');

    // The stored config is returned as written, references included.
    const config = await get('/connectors/sink/config');
    assert.equal(config.file, `${tree.dir}/\${file:${secretsFile}:out.name}`);
    for (const path of ['/connectors?expand=status&expand=info', '/connectors/gen', '/connectors/gen/config', '/connectors/gen/tasks', '/connectors/sink/tasks', '/connectors/sink/status', '/connectors/leaky/tasks', '/connectors/gen/offsets', '/connectors/sink/offsets', '/connector-plugins']) {
      await get(path);
    }
    await new Promise((r) => setTimeout(r, 1200)); // an offset flush
  } finally {
    assert.equal(await worker.stop(), 0);
  }
  try {
    const secrets = [token, password, outName];
    for (const s of secrets) {
      assert.ok(!responses.some((r) => r.includes(s)), `a REST response contains ${s}`);
      assert.ok(!worker.log().includes(s), `the worker log contains ${s}`);
      for (const f of filesUnder(join(tree.dir, 'data'))) {
        assert.ok(!readFileSync(f).includes(s), `${f} contains ${s}`);
      }
    }
    assert.ok(filesUnder(join(tree.dir, 'data')).length > 3, 'the on-disk state was actually searched');
  } finally {
    tree.cleanup();
  }
});

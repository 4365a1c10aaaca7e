/**
 * Basic auth on the REST API as Connect's BasicAuthSecurityRestExtension: users from the PropertyFileLoginModule's
 * file named by a JAAS file; 401 with the plain text "User cannot access the resource." and no WWW-Authenticate;
 * Connect's internal endpoints (POST /connectors/{n}/tasks, PUT /connectors/{n}/fence) exempt; an unknown path is a
 * 404 before any 401.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { jaasContext } from '../../../src/runtime/config/jaas-file.js';
import { WorkerConfigError } from '../../../src/runtime/config/worker-config-error.js';
import { basicAuthenticator, isExempt, loadBasicAuth, UNAUTHORIZED_MESSAGE } from '../../../src/runtime/rest/basic-auth.js';
import { startRestServer } from '../../../src/runtime/rest/rest-server.js';
import type { RestServer } from '../../../src/runtime/rest/rest-server.js';
import { nodeRequest } from '../../../src/herder/node-request.js';
import { RestHerder } from '../../../src/herder/rest-client.js';
import { MemoryHerder } from '../../support/memory-herder.js';
import { writeTree } from '../../support/paths.js';
import { sourceConfig } from './rest-harness.js';

const MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('a worker with Basic auth', () => {
  let tree: { dir: string; cleanup: () => void };
  let server: RestServer;
  let herder: MemoryHerder;
  const call = (method: string, path: string, authorization?: string, body?: unknown) =>
    nodeRequest(server.url + path, {
      method,
      headers: { ...(authorization ? { authorization } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
  before(async () => {
    tree = writeTree({ 'users.properties': '# Connect users\nadmin: s3cret:with-colon\ndeployer=Deploy-Pw-7\n' });
    const jaas = `${tree.dir}/connect-jaas.conf`;
    writeFileSync(jaas, `// the REST API's users\nKafkaConnect {\n  ${MODULE} required\n  file="${tree.dir}/users.properties";\n};\nOther { x.Y optional; };\n`);
    const loaded = loadBasicAuth(jaas);
    assert.equal(loaded.userCount, 2);
    herder = new MemoryHerder();
    server = await startRestServer({ herder, listeners: 'http://127.0.0.1:0', authenticator: loaded.authenticator });
  });
  after(async () => {
    await server.close();
    tree.cleanup();
  });

  test('no credentials and a wrong password get 401 with the plain text body and no WWW-Authenticate', async () => {
    for (const authorization of [undefined, basic('deployer', 'wrong'), basic('nobody', 'Deploy-Pw-7'), 'Bearer abc', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      const res = await fetch(`${server.url}/connectors`, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, String(authorization));
      assert.equal(await res.text(), UNAUTHORIZED_MESSAGE);
      assert.equal(res.headers.get('www-authenticate'), null);
    }
  });

  test('the right password gets 200; the scheme is case-insensitive and a password may hold a colon', async () => {
    assert.equal((await call('GET', '/connectors', basic('deployer', 'Deploy-Pw-7'))).status, 200);
    assert.equal((await call('GET', '/connectors', basic('admin', 's3cret:with-colon'))).status, 200);
    assert.equal((await call('GET', '/', `bAsIc ${Buffer.from('deployer:Deploy-Pw-7').toString('base64')}`)).status, 200);
    const herderClient = new RestHerder({ url: server.url, basicAuth: { user: 'deployer', password: 'Deploy-Pw-7' } });
    await herderClient.createConnector('guarded', sourceConfig());
    assert.deepEqual(await herderClient.connectors(), ['guarded']);
  });

  test('every route is guarded (root, health, connectors, plugins, leases), GET /connectors/{n}/tasks too', async () => {
    for (const [method, path] of [['GET', '/'], ['GET', '/health'], ['GET', '/connector-plugins'], ['GET', '/connectors/guarded/tasks'], ['DELETE', '/connectors/guarded'], ['PUT', '/connectors/guarded/pause']] as const) {
      assert.equal((await call(method, path)).status, 401, `${method} ${path}`);
    }
    assert.deepEqual(await herder.connectors(), ['guarded'], 'nothing was deleted');
  });

  test("Connect's internal endpoints are exempt (workers send them without credentials); an unknown path is 404 before 401", async () => {
    const tasks = await call('POST', '/connectors/guarded/tasks', undefined, [{ 'task.class': 'x' }]);
    assert.notEqual(tasks.status, 401, tasks.text);
    assert.notEqual((await call('PUT', '/connectors/guarded/fence')).status, 401);
    assert.equal((await call('GET', '/no/such/path')).status, 404);
    for (const [method, path, exempt] of [
      ['POST', '/connectors/a/tasks', true],
      ['POST', 'connectors/a/tasks/', true],
      ['PUT', '/connectors/a/fence', true],
      ['GET', '/connectors/a/tasks', false],
      ['PUT', '/connectors/a/tasks', false],
      ['POST', '/connectors/a/fence', false],
      ['POST', '/connectors/a/tasks/0/restart', false],
    ] as const) {
      assert.equal(isExempt(method, path), exempt, `${method} ${path}`);
    }
  });
});

test('an empty users file lets every request through, as in Connect', () => {
  const auth = basicAuthenticator(new Map());
  assert.equal(auth.authenticate(undefined), '');
  const one = basicAuthenticator(new Map([['u', 'p']]));
  assert.equal(one.authenticate(basic('u', 'p')), 'u');
  assert.equal(one.authenticate(basic('u', 'pp')), undefined);
  assert.equal(one.authenticate(basic('u', '')), undefined);
});

test('JAAS files: the KafkaConnect context, comments, quoted options; malformed or incomplete files are refused with the code', () => {
  const text = `/* block */ KafkaConnect {\n ${MODULE} required file="/a b/users.properties" debug=true; // trailing\n};`;
  assert.deepEqual(jaasContext(text, 'KafkaConnect', 'f'), [{ loginModule: MODULE, flag: 'required', options: { file: '/a b/users.properties', debug: 'true' } }]);
  assert.equal(jaasContext('Other { a.B required; };', 'KafkaConnect', 'f'), undefined);
  const tree = writeTree({
    'no-context.conf': 'Other { a.B required; };',
    'no-file.conf': `KafkaConnect { ${MODULE} required; };`,
    'other-module.conf': `KafkaConnect { com.example.LdapLoginModule required url="ldap://x"; };`,
    'bad.conf': `KafkaConnect { ${MODULE} mandatory file="x"; };`,
    'missing-users.conf': `KafkaConnect { ${MODULE} required file="/nonexistent/users.properties"; };`,
  });
  try {
    for (const [file, pattern] of [
      ['no-context.conf', /no KafkaConnect login context/],
      ['no-file.conf', /has no file="…" option/],
      ['other-module.conf', /pipectl supports no other login module; found com\.example\.LdapLoginModule/],
      ['bad.conf', /"mandatory" .* is not a control flag/],
      ['missing-users.conf', /Basic auth users file \/nonexistent\/users\.properties cannot be read/],
      ['absent.conf', /JAAS file \S+absent\.conf cannot be read/],
    ] as const) {
      assert.throws(() => loadBasicAuth(`${tree.dir}/${file}`), (e: Error) => e instanceof WorkerConfigError && e.code === 'PIPECTL_WORKER_BASIC_AUTH_CONFIG' && pattern.test(e.message), file);
    }
  } finally {
    tree.cleanup();
  }
});

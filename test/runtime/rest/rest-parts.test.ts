/** Table tests for the REST server's pure parts (listeners, routes, request shapes) and its start/close contract. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LISTENER_HOST, listenerUrl, parseListeners } from '../../../src/runtime/rest/listener.js';
import { normalizedPluginName } from '../../../src/runtime/rest/plugin-routes.js';
import { parseAlterOffsets, parseCreateConnector, withConnectorName } from '../../../src/runtime/rest/request-shapes.js';
import { HttpError } from '../../../src/runtime/rest/http-error.js';
import { createRouter } from '../../../src/runtime/rest/router.js';
import { startRestServer } from '../../../src/runtime/rest/rest-server.js';
import { MemoryHerder } from '../../support/memory-herder.js';

test('parseListeners takes the first listener; an empty host is the loopback address', () => {
  const cases: [string, string, number][] = [
    ['http://127.0.0.1:8083', '127.0.0.1', 8083],
    ['http://:8083', DEFAULT_LISTENER_HOST, 8083],
    ['HTTP://0.0.0.0:0/', '0.0.0.0', 0],
    [' http://localhost:9000 , http://10.0.0.1:9001', 'localhost', 9000],
    ['http://[::1]:8083', '::1', 8083],
    ['http://[]:8083', DEFAULT_LISTENER_HOST, 8083],
  ];
  for (const [value, host, port] of cases) assert.deepEqual(parseListeners(value), { protocol: 'http', host, port }, value);
  assert.equal(DEFAULT_LISTENER_HOST, '127.0.0.1');
  assert.deepEqual(parseListeners('HTTPS://h:8443'), { protocol: 'https', host: 'h', port: 8443 });
  for (const bad of ['', '8083', 'http://host', 'http://host:port', 'http://h:70000', 'ftp://h:8443', 'http://h:1/path']) {
    assert.throws(() => parseListeners(bad), /REST listener/, bad);
  }
  assert.equal(listenerUrl('::1', 80), 'http://[::1]:80');
  assert.equal(listenerUrl('127.0.0.1', 80), 'http://127.0.0.1:80');
});

test('the router decodes params after splitting, ignores one trailing slash, and answers 404/405/400', () => {
  const handler = async () => ({ status: 200 });
  const router = createRouter([
    { method: 'GET', path: '/connectors', handler },
    { method: 'GET', path: '/connectors/{connector}', handler },
    { method: 'DELETE', path: '/connectors/{connector}', handler },
  ]);
  assert.deepEqual(router.match('GET', '/connectors/a%2Fb%20c+d').params, { connector: 'a/b c+d' });
  assert.equal(router.match('GET', '/connectors/').route.path, '/connectors');
  assert.equal(router.match('HEAD', '/connectors').route.method, 'GET');
  const status = (method: string, path: string): number => {
    try {
      router.match(method, path);
      return 200;
    } catch (err) {
      assert.ok(err instanceof HttpError);
      return err.status;
    }
  };
  assert.equal(status('GET', '/connectors/a/b'), 404);
  assert.equal(status('GET', '/connectors//'), 404);
  assert.equal(status('POST', '/connectors/a'), 405);
  assert.equal(status('GET', '/connectors/%'), 400);
});

test('request shapes: create request, name check, offsets', () => {
  assert.deepEqual(parseCreateConnector({ name: ' a ', config: { k: 'v' }, initial_state: 'stopped' }), {
    name: 'a',
    config: { k: 'v' },
    initialState: 'STOPPED',
  });
  assert.deepEqual(parseCreateConnector({ config: {}, initial_state: null }), { name: '', config: {} });
  assert.deepEqual(withConnectorName('a', { k: 'v' }), { k: 'v', name: 'a' });
  assert.throws(() => withConnectorName('a', { name: 'b' }), /Connector name configuration \(b\) doesn't match connector name in the URL \(a\)/);
  assert.deepEqual(parseAlterOffsets({ offsets: [{ partition: { p: 1 } }] }), { offsets: [{ partition: { p: 1 }, offset: null }] });
  assert.equal(normalizedPluginName('FileStreamSinkConnector'), 'FileStreamSink');
  assert.equal(normalizedPluginName('Connector'), 'Connector');
});

test('startRestServer: port 0 is ephemeral, the url names the bound port, close() is idempotent', async () => {
  const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://:0' });
  assert.ok(server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  assert.equal((await fetch(server.url)).status, 200);
  await assert.rejects(
    startRestServer({ herder: new MemoryHerder(), listeners: `http://127.0.0.1:${server.port}` }),
    (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE',
  );
  await Promise.all([server.close(), server.close()]);
  await assert.rejects(fetch(server.url));
  await assert.rejects(startRestServer({ herder: new MemoryHerder(), listeners: 'https://:0' }), /an https:\/\/ listener needs a key store/);
  await assert.rejects(startRestServer({ herder: new MemoryHerder(), listeners: 'ftp://:0' }), /only http and https are supported/);
});

/**
 * The malformed-input sweep: for every route, malformed JSON, wrong JSON types and an oversized body; unknown paths,
 * wrong methods, broken HTTP and aborted requests. Every answer is 4xx with `{error_code, message}`, never 5xx, and
 * the server keeps answering GET / afterwards.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { assertErrorBody, sourceConfig, startHarness } from './rest-harness.js';
import type { Harness, Reply } from './rest-harness.js';

const MAX_BODY = 4096;

/** Every route, against an existing connector `c`, and whether it reads a JSON body. */
const ROUTES: { method: string; path: string; body: boolean }[] = [
  { method: 'GET', path: '/', body: false },
  { method: 'GET', path: '/health', body: false },
  { method: 'GET', path: '/connectors', body: false },
  { method: 'GET', path: '/connectors?expand=status&expand=info', body: false },
  { method: 'POST', path: '/connectors', body: true },
  { method: 'GET', path: '/connectors/c', body: false },
  { method: 'DELETE', path: '/connectors/ghost', body: false },
  { method: 'GET', path: '/connectors/c/config', body: false },
  { method: 'PUT', path: '/connectors/c/config', body: true },
  { method: 'PATCH', path: '/connectors/c/config', body: true },
  { method: 'GET', path: '/connectors/c/status', body: false },
  { method: 'GET', path: '/connectors/c/tasks', body: false },
  { method: 'GET', path: '/connectors/c/tasks-config', body: false },
  { method: 'GET', path: '/connectors/c/tasks/0/status', body: false },
  { method: 'POST', path: '/connectors/c/tasks/0/restart', body: false },
  { method: 'POST', path: '/connectors/c/restart', body: false },
  { method: 'POST', path: '/connectors/c/restart?includeTasks=true', body: false },
  { method: 'PUT', path: '/connectors/c/pause', body: false },
  { method: 'PUT', path: '/connectors/c/resume', body: false },
  { method: 'PUT', path: '/connectors/ghost/stop', body: false },
  { method: 'GET', path: '/connectors/c/offsets', body: false },
  { method: 'PATCH', path: '/connectors/c/offsets', body: true },
  { method: 'DELETE', path: '/connectors/ghost/offsets', body: false },
  { method: 'GET', path: '/connectors/c/topics', body: false },
  { method: 'PUT', path: '/connectors/c/topics/reset', body: false },
  { method: 'GET', path: '/connector-plugins', body: false },
  { method: 'GET', path: '/connector-plugins/MemorySource/config', body: false },
  { method: 'PUT', path: '/connector-plugins/MemorySource/config/validate', body: true },
];

const MALFORMED = ['{', '{"name": ', '{"a":1,}', "{'a':'b'}", 'not json', '[1, 2', '{"a":"b"} trailing', '\u0000\u0001'];
const WRONG_TYPES: unknown[] = [
  [],
  [{ 'connector.class': 'x' }],
  'a string',
  42,
  true,
  null,
  { a: { b: 'c' } },
  { a: ['b'] },
];
/** Extra wrong shapes for the routes whose body is not a flat map. */
const WRONG_SHAPES: Record<string, unknown[]> = {
  'POST /connectors': [
    { name: 5, config: {} },
    { name: ['x'], config: sourceConfig() },
    { name: 'x' },
    { name: 'x', config: null },
    { name: 'x', config: 'a=b' },
    { name: 'x', config: [] },
    { name: 'x', config: { 'tasks.max': 1 } },
    { name: 'x', config: { a: null } },
    { name: 'x', config: sourceConfig(), initial_state: 1 },
    { name: 'x', config: sourceConfig(), initial_state: 'BOOTING' },
    { name: 'x', config: sourceConfig(), initialState: 'PAUSED' },
  ],
  'PATCH /connectors/c/config': [{ a: [] }, { a: { b: 1 } }],
  'PATCH /connectors/c/offsets': [
    {},
    { offsets: [] },
    { offsets: {} },
    { offsets: 'x' },
    { offsets: [1] },
    { offsets: [null] },
    { offsets: [{ partition: 'p', offset: null }] },
    { offsets: [{ partition: null, offset: null }] },
    { offsets: [{ partition: {}, offset: 5 }] },
    { offsets: [{ partition: {}, offset: [] }] },
    { offsets: [{ partition: {}, offset: {}, extra: 1 }] },
    { offsets: [{ partition: {}, offset: {} }], unknown: true },
  ],
};

let h: Harness;
before(async () => {
  h = await startHarness({ maxBodyBytes: MAX_BODY });
  assert.equal((await h.request('POST', '/connectors', { name: 'c', config: sourceConfig() })).status, 201);
});
after(() => h.close());

function assertNotServerError(r: Reply, context: string): void {
  assert.ok(r.status < 500, `${context}: got ${r.status} ${r.text}`);
  if (r.status >= 400) assertErrorBody(r, r.status, context);
}

describe('the malformed-input sweep', () => {
  test('malformed JSON: 400 on every route that reads a body; ignored (never 5xx) by the others', async () => {
    for (const route of ROUTES) {
      for (const text of MALFORMED) {
        const context = `${route.method} ${route.path} ${JSON.stringify(text)}`;
        const r = await h.request(route.method, route.path, text);
        if (route.body) {
          assert.match(assertErrorBody(r, 400, context), /^Malformed JSON request body/, context);
        } else {
          assertNotServerError(r, context);
        }
      }
    }
  });

  test('wrong JSON types: 400 on every route that reads a body', async () => {
    for (const route of ROUTES.filter((r) => r.body)) {
      const shapes = [...WRONG_TYPES, ...(WRONG_SHAPES[`${route.method} ${route.path}`] ?? [])];
      for (const body of shapes) {
        const context = `${route.method} ${route.path} ${JSON.stringify(body)}`;
        assertErrorBody(await h.request(route.method, route.path, JSON.stringify(body)), 400, context);
      }
      assertErrorBody(await h.request(route.method, route.path), 400, `${route.method} ${route.path} without a body`);
    }
  });

  test('an oversized body: 413 with the error body on every route, and on unknown paths', async () => {
    const big = JSON.stringify({ name: 'big', config: { blob: 'x'.repeat(MAX_BODY) } });
    for (const route of [...ROUTES, { method: 'POST', path: '/nowhere', body: true }]) {
      const r = await h.request(route.method, route.path, big);
      assert.match(assertErrorBody(r, 413, `${route.method} ${route.path}`), /larger than the limit of 4096 bytes/);
    }
    const justFits = JSON.stringify({ name: 'fits', config: sourceConfig({ blob: 'x'.repeat(MAX_BODY - 200) }) });
    assert.ok(Buffer.byteLength(justFits) <= MAX_BODY);
    assert.equal((await h.request('POST', '/connectors', justFits)).status, 201);
  });

  test('a very large body (far beyond the limit) is refused without crashing', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 'x');
    try {
      const r = await h.request('PUT', '/connectors/c/config', huge);
      assertErrorBody(r, 413);
    } catch (err) {
      // The server may close the connection before the client has sent everything; that is a refusal too.
      assert.ok(err instanceof TypeError, String(err));
    }
    assert.equal((await h.request('GET', '/')).status, 200);
  });

  test('unknown paths → 404, wrong methods → 405 with Allow, bad encoding → 400; all with the error body', async () => {
    const unknown = ['/nope', '/connectors/c/nope', '/connectors/c/tasks/0/nope', '/connectors/c/tasks/0', '/connector-plugins/x',
      '/connectors//config', '/connectors/c/config/extra', '//', '/admin/loggers', '/CONNECTORS'];
    for (const path of unknown) assertErrorBody(await h.request('GET', path), 404, path);

    const wrong: [string, string, string][] = [
      ['DELETE', '/', 'GET'],
      ['POST', '/health', 'GET'],
      ['PATCH', '/connectors', 'GET, POST'],
      ['GET', '/connectors/c/restart', 'POST'],
      ['POST', '/connectors/c/config', 'GET, PUT, PATCH'],
      ['GET', '/connectors/c/pause', 'PUT'],
      ['PUT', '/connectors/c/offsets', 'GET, PATCH, DELETE'],
      ['GET', '/connector-plugins/x/config/validate', 'PUT'],
      ['OPTIONS', '/connectors', 'GET, POST'],
    ];
    for (const [method, path, allow] of wrong) {
      const r = await h.request(method, path);
      assertErrorBody(r, 405, `${method} ${path}`);
      assert.equal(r.headers.get('allow'), allow, `${method} ${path}`);
    }
    assertErrorBody(await h.request('FOO', '/connectors'), 400, 'a method node:http does not know');
    assertErrorBody(await h.request('GET', '/connectors/%zz'), 400, 'bad percent-encoding');
    assertErrorBody(await h.request('GET', '/connectors/%E0%A4%A'), 400, 'truncated UTF-8');
  });

  test('a deeply nested body and __proto__ keys are handled as data', async () => {
    const deep = '['.repeat(1000) + ']'.repeat(1000);
    assertErrorBody(await h.request('PUT', '/connectors/c/config', deep), 400);
    const proto = '{"__proto__": "x", "connector.class": "org.pipectl.memory.MemorySourceConnector", "constructor": "y"}';
    const r = await h.request('PUT', '/connectors/proto/config', proto);
    assert.equal(r.status, 201, r.text);
    const config = (r.body as { config: Record<string, string> }).config;
    assert.equal(Object.getOwnPropertyDescriptor(config, '__proto__')?.value, 'x');
  });

  test('GET / still answers 200 after the sweep', async () => {
    const r = await h.request('GET', '/');
    assert.equal(r.status, 200);
    assert.equal(h.logs.some((l) => l.level === 'error'), false, 'no request failed with 5xx');
  });
});

/** Sends raw bytes on a new socket; resolves with everything the server sent before closing (or after `waitMs`). */
function rawRequest(bytes: string, options: { endAfterWrite?: boolean; waitMs?: number } = {}): Promise<string> {
  const url = new URL(h.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(received);
    }, options.waitMs ?? 2000);
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(bytes);
    if (options.endAfterWrite) socket.end();
  });
}

describe('connections', () => {
  test('a request line node:http cannot parse → 400 with the error body', async () => {
    const answer = await rawRequest('THIS IS NOT HTTP\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /Content-Type: application\/json/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error_code: number };
    assert.equal(body.error_code, 400);
  });

  test('keep-alive: two requests on one connection are both answered', async () => {
    const request = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const answer = await rawRequest(request + request, { waitMs: 500 });
    assert.equal(answer.match(/HTTP\/1\.1 200 OK/g)?.length, 2, answer);
  });

  test('a client that aborts mid-body or mid-request does not disturb the server', async () => {
    const partial = 'PUT /connectors/c/config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"a":';
    await rawRequest(partial, { waitMs: 100 });
    h.herder.hang.add('connectorStatus');
    try {
      await rawRequest('GET /connectors/c/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { waitMs: 100 });
    } finally {
      h.herder.hang.clear();
    }
    await rawRequest('POST /connectors HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', { endAfterWrite: true, waitMs: 500 });
    assert.equal((await h.request('GET', '/')).status, 200);
    assert.equal((await h.request('GET', '/connectors/c/status')).status, 200);
  });
});

/**
 * What keeps a web page from driving a worker through a browser, and the limits on what one request may hold:
 * 415 for bodies that are not application/json, 421 for a foreign Host on a loopback listener (DNS rebinding), 403 for
 * a state-changing request from a foreign origin, Connect's CORS settings (access.control.allow.origin/methods),
 * a nesting limit on JSON bodies, and 500 answers that never show local paths.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { assertErrorBody, sourceConfig, startHarness } from './rest-harness.js';
import type { Harness } from './rest-harness.js';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** node:http, so that Host and Origin can be set freely (fetch forbids both). */
function raw(h: Harness, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(h.server.url + path, { method, agent: false, headers: { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function assertError(r: RawReply, status: number, context: string): string {
  assert.equal(r.status, status, `${context}: ${JSON.stringify(r.body)}`);
  assert.deepEqual(Object.keys(r.body ?? {}).sort(), ['error_code', 'message'], context);
  assert.equal(r.body.error_code, status, context);
  return r.body.message as string;
}

const create = (name: string): string => JSON.stringify({ name, config: sourceConfig() });

describe('without CORS settings (the default)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a body that is not application/json is refused with 415, as Connect does', async () => {
    const host = new URL(h.server.url).host;
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      assert.match(assertError(await raw(h, 'POST', '/connectors', { Host: host, 'Content-Type': type }, create('csrf')), 415, type), /^HTTP 415 Unsupported Media Type/);
    }
    assertError(await raw(h, 'POST', '/connectors', { Host: host }, create('no-type')), 415, 'a body without Content-Type');
    assertError(await raw(h, 'POST', '/connectors/any/restart', { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' }, ''), 415, 'an empty form post');
    assert.deepEqual(await h.herder.connectors(), []);
    assert.equal((await raw(h, 'POST', '/connectors', { Host: host, 'Content-Type': 'Application/JSON; charset=utf-8' }, create('ok'))).status, 201);
    assert.equal((await raw(h, 'GET', '/connectors', { Host: host, 'Content-Type': 'text/plain' })).status, 200, 'a GET without a body is not refused');
    assert.equal((await raw(h, 'POST', '/connectors/ok/restart', { Host: host })).status, 204, 'a POST without body nor type (curl -X POST)');
  });

  test('on a loopback listener, a Host that is not this worker is answered 421 (DNS rebinding)', async () => {
    const port = new URL(h.server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, 'localhost']) {
      assert.equal((await raw(h, 'GET', '/connectors', { Host: host })).status, 200, host);
    }
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      assert.match(assertError(await raw(h, 'GET', '/connectors', { Host: host }), 421, JSON.stringify(host)), /^Misdirected request: Host/);
    }
    const r = await raw(h, 'POST', '/connectors', { Host: `evil.example:${port}`, 'Content-Type': 'application/json' }, create('rebound'));
    assertError(r, 421, 'a rebound create');
    assert.ok(!(await h.herder.connectors()).includes('rebound'));
  });

  test('a state-changing request from another origin is refused with 403; reads and same-origin requests pass', async () => {
    const host = new URL(h.server.url).host;
    const json = { Host: host, 'Content-Type': 'application/json' };
    for (const origin of ['https://evil.example', 'null', `http://${host}.evil.example`]) {
      assert.match(assertError(await raw(h, 'POST', '/connectors', { ...json, Origin: origin }, create('x-site')), 403, origin), /Cross-origin request from .* refused/);
      assertError(await raw(h, 'POST', '/connectors/ok/restart', { Host: host, Origin: origin }), 403, `${origin} restart`);
    }
    assert.equal((await raw(h, 'POST', '/connectors', { ...json, Origin: `http://${host}` }, create('same-site'))).status, 201);
    const read = await raw(h, 'GET', '/connectors', { Host: host, Origin: 'https://evil.example' });
    assert.equal(read.status, 200);
    assert.equal(read.headers['access-control-allow-origin'], undefined, 'no CORS headers by default');
    const preflight = await raw(h, 'OPTIONS', '/connectors', { Host: host, Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' });
    assertError(preflight, 405, 'OPTIONS without CORS settings');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  test('JSON nested deeper than 64 levels is a 400 on every body route; 64 levels are parsed', async () => {
    const deep = (n: number, leaf = '"v"'): string => '{"a":'.repeat(n) + leaf + '}'.repeat(n);
    const deepArray = '['.repeat(5000) + ']'.repeat(5000);
    const bodies = [
      ['POST', '/connectors', `{"name":"n","config":${deep(5000)}}`],
      // Before the limit this one was a 500 "Maximum call stack size exceeded" (the initial_state check quoted it).
      ['POST', '/connectors', `{"name":"n","config":${JSON.stringify(sourceConfig())},"initial_state":${deep(5000)}}`],
      ['PUT', '/connectors/ok/config', deep(5000)],
      ['PATCH', '/connectors/ok/config', deep(5000)],
      ['PATCH', '/connectors/ok/offsets', `{"offsets":[{"partition":${deep(5000)},"offset":${deep(5000)}}]}`],
      ['PATCH', '/connectors/ok/offsets', `{"offsets":${deepArray}}`],
      ['PUT', '/connector-plugins/MemorySource/config/validate', deep(5000)],
    ];
    for (const [method, path, body] of bodies) {
      assert.match(assertErrorBody(await h.request(method!, path!, body), 400, `${method} ${path}`), /nested more than 64 levels deep/);
    }
    // Brackets inside strings are data, not nesting.
    const r = await h.request('PUT', '/connectors/brackets/config', JSON.stringify(sourceConfig({ x: '['.repeat(5000) })));
    assert.equal(r.status, 201, r.text);
    const at64 = await h.request('PUT', '/connectors/ok/config', deep(64));
    assert.doesNotMatch(assertErrorBody(at64, 400), /nested/, '64 levels are within the limit (refused for its shape)');
  });

  test('a 500 answer never shows local paths; the log keeps them', async () => {
    const original = h.herder.connectors.bind(h.herder);
    const fsError = Object.assign(new Error("EACCES: permission denied, open '/var/lib/pipectl/data/connectors/x.json'"), { code: 'EACCES' });
    try {
      h.herder.connectors = () => Promise.reject(fsError);
      const message = assertErrorBody(await h.request('GET', '/connectors'), 500);
      assert.equal(message, "EACCES: permission denied, open '<path>'");
      assert.ok(h.logs.some((l) => l.level === 'error' && String(l.fields?.['error']).includes('/var/lib/pipectl/data')));
    } finally {
      h.herder.connectors = original;
    }
  });
});

describe("with Connect's CORS settings", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ accessControlAllowOrigin: 'https://ui.example, https://*.tools.example', accessControlAllowMethods: 'GET,POST,PUT' });
  });
  after(() => h.close());

  test('a preflight from an allowed origin gets the CrossOriginFilter headers and Allow; others get none', async () => {
    const host = new URL(h.server.url).host;
    const ask = (origin: string, method: string, headers = 'content-type'): Promise<RawReply> =>
      raw(h, 'OPTIONS', '/connectors', { Host: host, Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers });
    for (const origin of ['https://ui.example', 'https://a.tools.example']) {
      const r = await ask(origin, 'POST');
      assert.equal(r.status, 200);
      assert.equal(r.headers['allow'], 'GET, POST');
      assert.equal(r.headers['access-control-allow-origin'], origin);
      assert.equal(r.headers['access-control-allow-credentials'], 'true');
      assert.equal(r.headers['access-control-allow-methods'], 'GET,POST,PUT');
      assert.equal(r.headers['access-control-allow-headers'], 'X-Requested-With,Content-Type,Accept,Origin');
      assert.equal(r.headers['access-control-max-age'], '1800');
    }
    for (const [origin, method, headers] of [['https://evil.example', 'POST', 'content-type'], ['https://ui.example', 'DELETE', ''], ['https://ui.example', 'POST', 'x-secret']] as const) {
      const r = await ask(origin, method, headers);
      assert.equal(r.status, 200, `${origin} ${method} ${headers}`);
      assert.equal(r.headers['access-control-allow-origin'], undefined, `${origin} ${method} ${headers}`);
    }
    assertError(await ask('https://ui.example', 'POST').then(() => raw(h, 'OPTIONS', '/nowhere', { Host: host, Origin: 'https://ui.example', 'Access-Control-Request-Method': 'GET' })), 404, 'unknown path');
  });

  test('requests from an allowed origin run and carry Access-Control-Allow-Origin; other origins are still refused', async () => {
    const host = new URL(h.server.url).host;
    const ok = await raw(h, 'POST', '/connectors', { Host: host, Origin: 'https://ui.example', 'Content-Type': 'application/json' }, create('from-ui'));
    assert.equal(ok.status, 201);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://ui.example');
    const missing = await raw(h, 'GET', '/connectors/ghost', { Host: host, Origin: 'https://ui.example' });
    assertError(missing, 404, 'an error answer');
    assert.equal(missing.headers['access-control-allow-origin'], 'https://ui.example', 'error answers carry the CORS headers too');
    assertError(await raw(h, 'POST', '/connectors', { Host: host, Origin: 'https://evil.example', 'Content-Type': 'application/json' }, create('evil')), 403, 'foreign origin');
    assert.deepEqual(await h.herder.connectors(), ['from-ui']);
  });
});

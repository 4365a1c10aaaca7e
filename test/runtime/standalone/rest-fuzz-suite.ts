/**
 * REST fuzz suite against a real standalone worker (embedded log, no Kafka): odd connector names, malformed, huge and
 * deeply nested bodies, wrong content types and methods, path tricks, seeded random requests, concurrent creates.
 * Every answer must be < 500 with Connect's error body when >= 400; the process must not crash; afterwards a worker
 * restarted on the same data.dir must have exactly the connectors (and configs) the first one reported.
 *
 * Random inputs come from a seeded PRNG: the seed is printed as a test diagnostic; PIPECTL_FUZZ_SEED=<n> replays it.
 * The suite runs twice: against a plain worker (rest-fuzz.test.ts) and against one with an HTTPS-only listener,
 * mutual TLS and Basic auth (rest-fuzz-secured.test.ts), where the worker's log must also hold no password.
 */
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { startWorker } from '../../support/worker-process.js';
import type { StartWorkerOptions, WorkerProcess } from '../../support/worker-process.js';
import { seededRng } from '../../support/prng.js';

export const SEED = Number(process.env['PIPECTL_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const RANDOM_REQUESTS = 400;

/** Seeded inputs: the same seed gives the same run. */
const prng = (seed: number): (() => number) => seededRng(seed).next;

interface Reply {
  status: number;
  body: any;
  text: string;
}

/** How the suite reaches its worker: plain HTTP, or HTTPS with a client certificate and Basic auth. */
export interface FuzzTarget {
  /** The worker's options (its folder is filled in by the suite). */
  worker: (dir: string) => Omit<StartWorkerOptions, 'dir'>;
  /** TLS material and the Authorization header value, for the secured worker. */
  secured?: { ca: string; cert: string; key: string; authorization: string; secrets: string[] };
}

export function defineRestFuzz(target: FuzzTarget): void {
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;
const answers: { what: string; status: number }[] = [];
const secured = target.secured;

/** One request on its own connection; `body` is sent as given, with `type` as its Content-Type (none when null). */
function send(method: string, path: string, body?: string | Buffer, type: string | null = 'application/json', headers: Record<string, string> = {}): Promise<Reply> {
  const all: Record<string, string> = { ...(secured ? { Authorization: secured.authorization } : {}), ...headers };
  if (type !== null && body !== undefined) all['Content-Type'] = type;
  if (body !== undefined) all['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const url = new URL(worker.url);
    // host/port/path, not a URL string: the URL parser would resolve `.`, `..` and `%2E` segments before sending.
    const options = { hostname: url.hostname, port: url.port, path, method, agent: false as const, timeout: 120_000, headers: all };
    const onResponse = (res: import('node:http').IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    };
    const req = secured ? httpsRequest({ ...options, ca: secured.ca, cert: secured.cert, key: secured.key }, onResponse) : httpRequest(options, onResponse);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The worker may close an oversized upload early; that is a refusal, not a crash (checked by the next request).
      if (e.code === 'EPIPE' || e.code === 'ECONNRESET') resolve({ status: 413, body: { error_code: 413, message: 'closed' }, text: '' });
      else reject(e);
    });
    req.end(body);
  });
}

/** Raw bytes on a socket (for request lines node:http's client would refuse); resolves with the status and body. */
function sendRaw(requestLine: string): Promise<Reply> {
  const url = new URL(worker.url);
  return new Promise((resolve, reject) => {
    const socket = secured ? tlsConnect({ port: Number(url.port), host: url.hostname, ca: secured.ca, cert: secured.cert, key: secured.key }) : connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      const text = received.slice(received.indexOf('\r\n\r\n') + 4);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      resolve({ status, body, text });
    });
    // write, not end: node:http abandons a request still being answered when the client half-closes.
    socket.write(`${requestLine}\r\nHost: ${url.host}\r\n${secured ? `Authorization: ${secured.authorization}\r\n` : ''}Connection: close\r\n\r\n`);
  });
}

/** The suite's invariant for every answer: no 5xx; an error has `{error_code: status, message: string}`. */
function check(r: Reply, what: string): Reply {
  answers.push({ what, status: r.status });
  assert.ok(r.status >= 200 && r.status < 500, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status >= 400 && !what.includes('HEAD ')) {
    assert.equal(r.body?.error_code, r.status, `${what}: error body ${r.text.slice(0, 300)}`);
    assert.equal(typeof r.body?.message, 'string', `${what}: error message`);
  }
  return r;
}

function sourceConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'connector.class': 'FileStreamSource', file: join(tree.dir, 'in.txt'), topic: 'fuzz', ...extra };
}

/** A name as a path segment. */
const enc = (name: string): string => encodeURIComponent(name);

const create = (name: string, state = 'STOPPED'): string => JSON.stringify({ name, config: sourceConfig(), initial_state: state });

before(async () => {
  tree = writeTree({ 'in.txt': '' });
  worker = await startWorker({ ...target.worker(tree.dir), dir: tree.dir, startTimeoutMs: 120_000 });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const ODD_NAMES = [
  '', ' ', '.', '..', '...', '/', 'a/b', '%2F', '%252F', '%', '%25', '%zz', '..%2F..%2Fetc', '\\', 'a\\..\\b', 'a'.repeat(250), 'b'.repeat(1000),
  '😀'.repeat(20), '\u0000', 'nul\u0000x', 'ctl\u0001', 'tab\tx', 'del\u007f', 'CON', 'con', 'PRN', 'AUX', 'NUL', 'COM1', 'LPT1.txt', 'Case', 'case', 'CASE',
  'trail.', 'trail ', ' lead', 'a:b', '*?"<>|', 'ÄÖÜ', 'e\u0301', '\u00e9', 'zero\u200bwidth', '\u202eevil', '.hidden', 'x.json', 'x.json.tmp', '~', '-', '?q=1', '#frag',
];

test(`odd connector names: created (201) or refused as Connect would (400); never 5xx (seed ${SEED})`, async (t) => {
  t.diagnostic(`PIPECTL_FUZZ_SEED=${SEED}`);
  for (const name of ODD_NAMES) {
    const r = check(await send('POST', '/connectors', create(name)), `POST ${JSON.stringify(name)}`);
    assert.ok([201, 400, 409].includes(r.status), `POST ${JSON.stringify(name)}: ${r.status} ${r.text}`);
    if (r.status !== 201) continue;
    const created = r.body.name as string;
    const got = check(await send('GET', `/connectors/${enc(created)}/config`), `GET config of ${JSON.stringify(created)}`);
    assert.equal(got.status, 200, `GET config of ${JSON.stringify(created)}`);
    assert.equal(got.body.name, created);
    check(await send('PUT', `/connectors/${enc(created)}/config`, JSON.stringify(sourceConfig({ touched: 'yes' }))), `PUT ${JSON.stringify(created)}`);
  }
  for (const name of ['', ' ', '/', 'a/b', 'nul\u0000x', 'tab\tx', 'del\u007fx']) {
    assert.equal(check(await send('POST', '/connectors', create(name)), JSON.stringify(name)).status, 400, JSON.stringify(name));
  }
  const names = check(await send('GET', '/connectors'), 'GET /connectors').body as string[];
  for (const name of ['..', '.', 'CON', 'Case', 'case', 'CASE', 'a'.repeat(250), 'b'.repeat(1000), '😀'.repeat(20), 'trail.', '%2F']) assert.ok(names.includes(name), `${JSON.stringify(name).slice(0, 40)} was created`);
});

test('path tricks: raw dot segments, %2F, %00, bad encodings, raw bytes', async () => {
  const lines = ['GET /connectors/../config HTTP/1.1', 'GET /connectors/%2E%2E/status HTTP/1.1', 'GET /connectors/a%2Fb HTTP/1.1', 'GET /connectors/%00 HTTP/1.1',
    'GET /connectors/%zz HTTP/1.1', 'GET /connectors/%E0%A4%A HTTP/1.1', 'GET //connectors HTTP/1.1', 'GET /connectors/x/../../ HTTP/1.1', 'DELETE /connectors/%2F HTTP/1.1',
    'GET /connectors/\u00e9 HTTP/1.1', 'GET /connectors?expand=%zz HTTP/1.1', 'GET * HTTP/1.1', 'GET http://evil.example/connectors HTTP/1.1', 'PUT /connectors/%2e/pause HTTP/1.1'];
  for (const line of lines) {
    const r = await sendRaw(line);
    check(r, line);
  }
});

test('malformed, huge, deeply nested and wrongly typed bodies; wrong content types and methods', async () => {
  const bodies = ['{', 'null', '[]', '"x"', '{"name":', '\u0000', '{"name":"x","config":{"a":{}}}', `{"name":"n","config":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
    '['.repeat(100_000), JSON.stringify({ name: 'big', config: sourceConfig({ blob: 'x'.repeat(2 * 1024 * 1024) }) }), '\ufeff{}', Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('latin1')];
  const routes: [string, string][] = [['POST', '/connectors'], ['PUT', '/connectors/CON/config'], ['PATCH', '/connectors/CON/config'], ['PATCH', '/connectors/CON/offsets'],
    ['PUT', '/connector-plugins/FileStreamSource/config/validate'], ['POST', '/pipectl/v1/topics'], ['PUT', '/pipectl/v1/leases/l']];
  for (const [method, path] of routes) {
    for (const body of bodies) check(await send(method, path, body), `${method} ${path} ${body.slice(0, 30)}`);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', 'application/xml', null]) {
      const r = check(await send(method, path, JSON.stringify({ name: 'ct', config: sourceConfig() }), type), `${method} ${path} as ${type}`);
      assert.equal(r.status, 415, `${method} ${path} as ${type}`);
    }
  }
  for (const method of ['PROPFIND', 'TRACE', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT']) check(await send(method, '/connectors'), `${method} /connectors`);
  for (const method of ['GET', 'POST', 'HEAD', 'OPTIONS']) check(await send(method, '/connectors/CON/pause'), `${method} pause`);
});

test(`seeded random requests (seed ${SEED})`, async (t) => {
  t.diagnostic(`PIPECTL_FUZZ_SEED=${SEED}`);
  const random = prng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const pool = ['fz-a', 'fz-b', 'FZ-A', 'fz-ä', 'fz 😀', '..', 'CON', 'x'.repeat(300)];
  const segment = (): string =>
    pick([() => enc(pick(pool)), () => pick(['config', 'status', 'tasks', '0', '-1', '99999999999', 'restart', 'pause', 'resume', 'stop', 'offsets', 'topics', 'reset', '%', '%2F', '..', ''])])();
  const value = (depth: number): unknown => {
    const kind = Math.floor(random() * (depth > 4 ? 4 : 7));
    if (kind === 0) return pick(['', 'x', 'FileStreamSource', '1', '-1', 'STOPPED', '\u0000']);
    if (kind === 1) return Math.floor(random() * 1e6) * (random() < 0.5 ? -1 : 1);
    if (kind === 2) return pick([true, false, null]);
    if (kind === 3) return random() < 0.5 ? 1e308 * 10 : 0.5;
    if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(['name', 'config', 'offsets', 'connector.class', 'tasks.max', 'initial_state', 'partition', 'offset', '__proto__', 'k']), value(depth + 1)]));
  };
  const body = (): string | undefined =>
    pick([() => undefined, () => JSON.stringify(value(0)), () => create(pick(pool), pick(['RUNNING', 'PAUSED', 'STOPPED'])), () => JSON.stringify(sourceConfig()), () => JSON.stringify(value(0)).slice(0, -1)])();
  for (let i = 0; i < RANDOM_REQUESTS; i++) {
    const method = pick(['GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
    const path = pick(['/connectors', '/connector-plugins', '/pipectl/v1/topics']) + Array.from({ length: Math.floor(random() * 4) }, segment).map((s) => `/${s}`).join('') + pick(['', '?expand=status', '?includeTasks=true&onlyFailed=x', '?forward=true']);
    const b = body();
    check(await send(method, path, b, random() < 0.9 ? 'application/json' : pick(['text/plain', null])), `#${i} ${method} ${path} ${(b ?? '').slice(0, 60)}`);
  }
});

test('concurrent creates: one name 20 times → one 201 and 409s; 30 different names → 30 × 201', async () => {
  const same = await Promise.all(Array.from({ length: 20 }, () => send('POST', '/connectors', create('race', 'RUNNING'))));
  same.forEach((r, i) => check(r, `race #${i}`));
  assert.deepEqual(same.map((r) => r.status).sort(), [201, ...Array(19).fill(409)]);
  const different = await Promise.all(Array.from({ length: 30 }, (_, i) => send('POST', '/connectors', create(`many-${i}-${'Ü'.repeat(i * 5)}`, i % 2 ? 'RUNNING' : 'PAUSED'))));
  different.forEach((r, i) => assert.equal(check(r, `many #${i}`).status, 201));
  const puts = await Promise.all(Array.from({ length: 10 }, (_, i) => send('PUT', '/connectors/race/config', JSON.stringify(sourceConfig({ round: String(i) })))));
  puts.forEach((r, i) => assert.equal(check(r, `put #${i}`).status, 200));
});

test('a failed store write answers 500 without local paths, changes nothing, and the worker keeps serving', async () => {
  const dir = join(tree.dir, 'data', 'connectors');
  // Its own connector: the seeded random requests before may have deleted any other.
  assert.equal(check(await send('POST', '/connectors', create('store-victim')), 'store-victim').status, 201);
  const before = (await send('GET', '/connectors?expand=info')).body;
  renameSync(dir, `${dir}.away`);
  writeFileSync(dir, 'not a folder');
  try {
    for (const [method, path, body] of [['POST', '/connectors', create('while-broken')], ['PUT', '/connectors/store-victim/config', JSON.stringify(sourceConfig({ broken: 'yes' }))], ['DELETE', '/connectors/store-victim', undefined]] as const) {
      const r = await send(method, path, body);
      assert.equal(r.status, 500, `${method} ${path}: ${r.text}`);
      assert.equal(r.body.error_code, 500);
      assert.match(r.body.message, /data\.dir: ENOTDIR/);
      assert.ok(!r.text.includes(tree.dir), `no local path in ${r.text}`);
    }
  } finally {
    rmSync(dir);
    renameSync(`${dir}.away`, dir);
  }
  assert.equal(worker.child.exitCode, null, 'the worker is still running');
  assert.deepEqual((await send('GET', '/connectors?expand=info')).body, before, 'nothing changed');
});

test('afterwards: 0 crashes, 0 5xx; a worker restarted on the same data.dir has the same connectors and configs', async (t) => {
  assert.equal(worker.child.exitCode, null, 'the worker is still running');
  assert.equal(check(await send('GET', '/'), 'GET /').status, 200);
  const fivexx = answers.filter((a) => a.status >= 500);
  assert.deepEqual(fivexx, []);
  const before = check(await send('GET', '/connectors?expand=info'), 'expand=info before').body as Record<string, { info: { config: Record<string, string> } }>;
  assert.ok(Object.keys(before).length >= 60, `${Object.keys(before).length} connectors`);
  assert.equal(await worker.stop(), 0, 'a clean stop');
  worker = await startWorker({ ...target.worker(tree.dir), dir: tree.dir, startTimeoutMs: 120_000 });
  const afterRestart = check(await send('GET', '/connectors?expand=info'), 'expand=info after').body as typeof before;
  assert.deepEqual(Object.keys(afterRestart).sort(), Object.keys(before).sort());
  for (const [name, entry] of Object.entries(before)) assert.deepEqual(afterRestart[name]!.info.config, entry.info.config, name);
  t.diagnostic(`${answers.length} requests, statuses: ${JSON.stringify(countBy(answers.map((a) => a.status)))}`);
  for (const secret of secured?.secrets ?? []) assert.ok(!worker.log().includes(secret), 'no password in the worker log');
});
}

function countBy(xs: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}


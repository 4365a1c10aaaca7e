/**
 * One request against a real local HTTP server that answers with bodies no client should hold: endless, huge, or
 * decompressing to far more than was sent. The status line is the answer; the body is read only as far as needed.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BODY_EXCERPT_BYTES, sendRequest } from '../../../src/connectors/http/http-request.js';

/** A server whose answers `handler` writes; `sent()` counts body bytes written before each connection closed. */
async function server(handler: (req: IncomingMessage, res: ServerResponse, count: (n: number) => void) => void) {
  let sent = 0;
  let closed = 0;
  const s = createServer((req, res) => {
    req.resume();
    res.on('close', () => closed++);
    handler(req, res, (n) => (sent += n));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`,
    sent: () => sent,
    closed: () => closed,
    close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }),
  };
}

/** Writes 64 KiB chunks until the client goes away (respecting back-pressure). */
function endless(res: ServerResponse, count: (n: number) => void): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const pump = (): void => {
    while (!res.destroyed) {
      count(chunk.length);
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

const spec = (url: string) => ({ url, method: 'POST', headers: { 'content-type': 'application/json' }, timeoutMs: 120_000, stopSignal: new AbortController().signal });
const waitUntil = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
};

test('a 2xx whose body never ends is acknowledged at its status line; the body is cut off, not held', { timeout: 60_000 }, async () => {
  const srv = await server((_req, res, count) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    endless(res, count);
  });
  try {
    const outcome = await sendRequest(spec(srv.url), 'k-1', Buffer.from('[1]'));
    assert.deepEqual(outcome, { kind: 'ok', status: 200 });
    await waitUntil(() => srv.closed() === 1); // the client cancelled the rest of the body
    assert.ok(srv.sent() < 32 * 1024 * 1024, `the server got to write ${srv.sent()} bytes before the client went away`);
  } finally {
    await srv.close();
  }
});

test('a 400 with an endless body gives an excerpt of BODY_EXCERPT_BYTES; the rest is never read', { timeout: 60_000 }, async () => {
  const srv = await server((_req, res, count) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    endless(res, count);
  });
  try {
    const outcome = await sendRequest(spec(srv.url), 'k-2', Buffer.from('[1]'));
    assert.equal(outcome.kind, 'rejected');
    assert.equal((outcome as { body: string }).body, `${'x'.repeat(BODY_EXCERPT_BYTES)}…`);
    await waitUntil(() => srv.closed() === 1);
    assert.ok(srv.sent() < 32 * 1024 * 1024, `the server got to write ${srv.sent()} bytes`);
  } finally {
    await srv.close();
  }
});

test('a gzip body that inflates to 64 MiB is read only as far as the excerpt', { timeout: 60_000 }, async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'y'));
  const srv = await server((_req, res) => {
    res.writeHead(422, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
  });
  try {
    const heapBefore = process.memoryUsage().arrayBuffers;
    const outcome = await sendRequest(spec(srv.url), 'k-3', Buffer.from('[1]'));
    assert.equal(outcome.kind, 'rejected');
    assert.equal((outcome as { body: string }).body, `${'y'.repeat(BODY_EXCERPT_BYTES)}…`);
    assert.ok(process.memoryUsage().arrayBuffers - heapBefore < 32 * 1024 * 1024, 'the inflated body was not held');
  } finally {
    await srv.close();
  }
});

test('short bodies are read to the end, so a connection carries request after request', async () => {
  const sockets = new Set<unknown>();
  const srv = await server((req, res) => {
    sockets.add(req.socket);
    res.writeHead(req.headers['idempotency-key'] === 'k-0' ? 503 : 200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  try {
    assert.equal((await sendRequest(spec(srv.url), 'k-0', Buffer.from('[1]'))).kind, 'retry');
    for (let i = 1; i <= 9; i++) assert.equal((await sendRequest(spec(srv.url), `k-${i}`, Buffer.from('[1]'))).kind, 'ok');
    // undici may open a second connection while the first goes back to its pool; never one per request.
    assert.ok(sockets.size <= 3, `10 requests used ${sockets.size} connections`);
  } finally {
    await srv.close();
  }
});

test('a 2xx whose body stalls is still acknowledged once request.timeout.ms cuts the body off (not retried)', { timeout: 60_000 }, async () => {
  const srv = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial'); // and nothing more
  });
  try {
    // 5 s: time enough for the status line on a busy machine; then the stalled body is cut off by the same deadline.
    assert.deepEqual(await sendRequest({ ...spec(srv.url), timeoutMs: 5000 }, 'k-s', Buffer.from('[1]')), { kind: 'ok', status: 200 });
  } finally {
    await srv.close();
  }
});

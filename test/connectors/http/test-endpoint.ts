/**
 * A real HTTP endpoint for the HTTP sink's tests (node:http on 127.0.0.1): it answers each request as the test's
 * `answer` says (a status, headers, a delay), and keeps the log a server following the sink's documented contract
 * keeps: batches accepted with 2xx, deduplicated by Idempotency-Key (a re-sent batch is acknowledged, not stored twice).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  key: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (an array). */
  elements: unknown[];
  /** 1 for the first request with this key, 2 for its first re-send… */
  attempt: number;
  /** Date.now() when the request's body had arrived. */
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (the request is still stored when the status is 2xx). */
  delayMs?: number;
}

export interface TestEndpoint {
  url: string;
  /** Every request, in arrival order. */
  requests: ReceivedRequest[];
  /** The stored log: the elements of accepted batches, first acceptance of each key only. */
  accepted(): unknown[];
  /** Elements of every 2xx-acknowledged request, duplicates included (what a server without dedup would store). */
  acknowledgedRaw(): unknown[];
  /** Keys that were acknowledged more than once (re-sends the dedup dropped). */
  duplicateKeys(): string[];
  close(): Promise<void>;
}

export async function startEndpoint(answer: (req: ReceivedRequest) => Answer = () => ({ status: 200 })): Promise<TestEndpoint> {
  const requests: ReceivedRequest[] = [];
  const stored = new Map<string, unknown[]>();
  const raw: unknown[] = [];
  const acks = new Map<string, number>();
  const attempts = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      let elements: unknown[] = [];
      try {
        elements = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
      } catch {
        res.writeHead(400).end('not JSON');
        return;
      }
      const r: ReceivedRequest = { method: req.method ?? '', key, headers: req.headers, elements, attempt, at: Date.now() };
      requests.push(r);
      const a = answer(r);
      if (a.status >= 200 && a.status < 300) {
        // Stored when processed, before the answer: a client that times out meanwhile re-sends a batch already stored.
        raw.push(...elements);
        acks.set(key, (acks.get(key) ?? 0) + 1);
        if (!stored.has(key)) stored.set(key, elements);
      }
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ingest`,
    requests,
    accepted: () => [...stored.values()].flat(),
    acknowledgedRaw: () => [...raw],
    duplicateKeys: () => [...acks].filter(([, n]) => n > 1).map(([k]) => k),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

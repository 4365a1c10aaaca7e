/**
 * Runs the REST server in-process on an ephemeral port over a MemoryHerder, and sends requests with global fetch.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { LogFields, Logger } from '../../../src/runtime/logger.js';
import { startRestServer } from '../../../src/runtime/rest/rest-server.js';
import type { RestServer, RestServerOptions } from '../../../src/runtime/rest/rest-server.js';
import { MEMORY_SINK, MEMORY_SOURCE, MemoryHerder } from '../../support/memory-herder.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is empty. */
  body: unknown;
}

export interface LogLine {
  level: string;
  message: string;
  fields?: LogFields;
}

export interface Harness {
  herder: MemoryHerder;
  server: RestServer;
  logs: LogLine[];
  /** `body` is sent as is when it is a string or Buffer, else as JSON. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<Pick<RestServerOptions, 'maxBodyBytes' | 'requestTimeoutMs' | 'internalRequests' | 'accessControlAllowOrigin' | 'accessControlAllowMethods' | 'advertisedHost' | 'advertisedPort'>> = {}): Promise<Harness> {
  const herder = new MemoryHerder();
  const logs: LogLine[] = [];
  const record = (level: string) => (message: string, fields?: LogFields) => void logs.push({ level, message, fields });
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const server = await startRestServer({ herder, listeners: 'http://127.0.0.1:0', logger, ...options });
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const payload = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const allHeaders = payload === undefined ? headers : { 'Content-Type': 'application/json', ...headers };
    // fetch refuses a body on GET and HEAD; node:http sends it, as curl would.
    const send = payload !== undefined && (method === 'GET' || method === 'HEAD') ? sendWithNodeHttp : sendWithFetch;
    const res = await send(server.url + path, method, allHeaders, payload as string | Buffer | undefined);
    const text = res.text;
    let parsed: unknown;
    if (text !== '') {
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, `${method} ${path}: content type`);
      parsed = JSON.parse(text);
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  return { herder, server, logs, request, close: () => server.close() };
}

interface RawReply {
  status: number;
  headers: Headers;
  text: string;
}

async function sendWithFetch(url: string, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawReply> {
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function sendWithNodeHttp(url: string, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
    const req = httpRequest(url, { method, headers: { ...headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A valid source connector config. */
export function sourceConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'connector.class': MEMORY_SOURCE, 'tasks.max': '2', topic: 'orders', ...extra };
}

/** A valid sink connector config. */
export function sinkConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'connector.class': MEMORY_SINK, 'tasks.max': '1', topics: 'orders', ...extra };
}

/** Asserts Connect's error body with the given status, and returns its message. */
export function assertErrorBody(reply: Reply, status: number, context = ''): string {
  assert.equal(reply.status, status, `${context} status (${reply.text})`);
  const body = reply.body as { error_code?: unknown; message?: unknown };
  assert.deepEqual(Object.keys(body ?? {}).sort(), ['error_code', 'message'], `${context} error body keys: ${reply.text}`);
  assert.equal(body.error_code, status, `${context} error_code`);
  assert.equal(typeof body.message, 'string', `${context} message`);
  return body.message as string;
}

/**
 * Reads a request body with a size limit and parses it as JSON. Bodies are never logged: they may hold secrets.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** Thrown when the client went away (abort, socket error) before its body was read; nothing can be answered. */
export class ClientGoneError extends Error {
  readonly code = 'PIPECTL_REST_CLIENT_GONE';

  constructor(cause: unknown) {
    super('The client closed the connection before sending its whole request', { cause });
    this.name = 'ClientGoneError';
  }
}

/**
 * An oversized body is answered with 413; up to this many bytes beyond the limit are read and dropped first, so the
 * client, still sending, is not reset before it can read the answer. Past it the connection is closed.
 */
const DRAIN_FACTOR = 4;
const DRAIN_EXTRA = 64 * 1024;

/**
 * Resolves with the whole body (empty when there is none). Rejects with HttpError 413 when it is larger than
 * `maxBytes` (with a `Connection: close` header: the rest of the body may still be on the wire), and with
 * ClientGoneError when the request is aborted or its socket fails.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const tooLarge = (): HttpError =>
      new HttpError(413, `Request body is larger than the limit of ${maxBytes} bytes`, { Connection: 'close' });
    const finish = (err: Error | null, body?: Buffer): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onError);
      req.on('error', () => {}); // late socket errors must not become uncaught exceptions
      if (err) reject(err);
      else resolve(body ?? Buffer.alloc(0));
    };
    const drainLimit = maxBytes * DRAIN_FACTOR + DRAIN_EXTRA;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= maxBytes) chunks.push(chunk);
      else if (received > drainLimit) finish(tooLarge());
    };
    const onEnd = (): void => {
      finish(received > maxBytes ? tooLarge() : null, Buffer.concat(chunks, received));
    };
    const onAborted = (): void => finish(new ClientGoneError('aborted'));
    const onError = (e: Error): void => finish(new ClientGoneError(e));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onError);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > drainLimit) finish(tooLarge());
  });
}

/**
 * The deepest nesting of arrays and objects a body may have. Connect's bodies are at most about 4 deep (offsets:
 * `{"offsets":[{"partition":{…}}]}`); deeper input only serves to exhaust the stack of whatever walks it later.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a body as JSON. An empty (or all-whitespace) body gives `undefined`. Malformed JSON is a 400 — Connect
 * answers 500 for Jackson parse errors; a client's mistake is not a server error, so pipectl says 400. So is nesting
 * deeper than MAX_JSON_DEPTH (checked before parsing).
 */
export function parseJsonBody(body: Buffer): unknown {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return undefined;
  if (nestingExceeds(text, MAX_JSON_DEPTH)) {
    throw new HttpError(400, `Request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new HttpError(400, `Malformed JSON request body: ${detail}`);
  }
}

/** Whether arrays/objects in `text` nest deeper than `max` (brackets inside strings do not count). */
function nestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

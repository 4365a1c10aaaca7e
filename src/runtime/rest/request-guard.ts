/**
 * Refusals at the REST edge that keep web pages from driving a worker through a browser:
 * - **Host** (DNS rebinding): on a loopback listener, a request whose `Host` is not a loopback name or address of
 *   this worker's port (or `rest.advertised.host.name`/`.port`) is answered **421 Misdirected Request** — the
 *   request reached a server that does not serve that authority, which is exactly the rebinding case; 421 is not an
 *   authorization failure (403 would suggest credentials could help) and clients do not retry it.
 * - **Origin** (cross-site requests): a state-changing request (any method but GET, HEAD, OPTIONS) sent by a page of
 *   another origin that `access.control.allow.origin` does not allow is answered **403**. Connect's CORS filter only
 *   withholds CORS headers, so the browser hides the answer but the request still runs; here it does not run.
 * - **Content type**: a body that is not `application/json` — or a non-JSON `Content-Type` on a state-changing
 *   request — is answered **415**, as Connect (Jersey) does. With the Origin check, this closes the "simple request"
 *   path (`text/plain`, forms) that browsers send without a CORS preflight.
 * Pure: no I/O.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CorsPolicy } from './cors.js';
import { HttpError } from './http-error.js';

export interface HostRule {
  /** The address the listener is bound to (no brackets). */
  listenerHost: string;
  /** The bound port. */
  port: number;
  /** `rest.advertised.host.name` / `rest.advertised.port`, also accepted in the Host header. */
  advertisedHost?: string;
  advertisedPort?: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 127.0.0.0/8, ::1 and localhost (the names a loopback listener can be reached by). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Throws HttpError 421 when the listener is loopback and the Host header names something else. */
export function checkHost(rule: HostRule, host: string | undefined): void {
  if (host === undefined || !isLoopback(rule.listenerHost)) return; // HTTP/1.0 without Host; or the operator opened the worker
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim());
  const name = m?.[1]?.toLowerCase() ?? '';
  const port = m?.[2] === undefined ? undefined : Number(m[2]);
  const advertised = rule.advertisedHost?.toLowerCase();
  const nameOk = isLoopback(name) || (advertised !== undefined && name.replace(/^\[|\]$/g, '') === advertised.replace(/^\[|\]$/g, ''));
  const portOk = port === undefined || port === rule.port || port === rule.advertisedPort;
  if (m && nameOk && portOk) return;
  throw new HttpError(421, `Misdirected request: Host "${host}" is not served by this worker, which listens on loopback (use 127.0.0.1:${rule.port}, localhost:${rule.port} or [::1]:${rule.port})`);
}

/** Throws HttpError 403 for a state-changing request from a page of another origin that CORS does not allow. */
export function checkOrigin(method: string, headers: IncomingHttpHeaders, cors: CorsPolicy | undefined, scheme: 'http' | 'https' = 'http'): void {
  const origin = headers.origin;
  if (origin === undefined || SAFE_METHODS.has(method)) return;
  if (headers.host !== undefined && origin.toLowerCase() === `${scheme}://${headers.host.toLowerCase()}`) return; // same origin
  if (cors?.allowsOrigin(origin)) return;
  throw new HttpError(403, `Cross-origin request from ${origin} refused: the worker config's access.control.allow.origin does not allow it`);
}

/** Throws HttpError 415 unless a body (or a state-changing request's declared type) is `application/json`. */
export function checkContentType(method: string, contentType: string | undefined, bodyBytes: number): void {
  if (contentType === undefined ? bodyBytes === 0 : isJson(contentType) || (bodyBytes === 0 && SAFE_METHODS.has(method))) return;
  throw new HttpError(415, 'HTTP 415 Unsupported Media Type: send request bodies with Content-Type: application/json');
}

function isJson(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

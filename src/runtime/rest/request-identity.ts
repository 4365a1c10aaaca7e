/**
 * Who sent a REST request, and Connect's answer when Basic auth does not let it in. Split from rest-server.ts so the
 * request path reads top-down.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { UNAUTHORIZED_MESSAGE } from './basic-auth.js';
import type { Authenticator } from './basic-auth.js';

/**
 * Who sent the request: the Basic auth user, else the client certificate's subject (mTLS), else '' (anonymous, when
 * no authenticator is configured). Undefined when Basic auth is on and the credentials are missing or wrong.
 */
export function identify(authenticator: Authenticator | undefined, req: IncomingMessage, method: string, path: string): string | undefined {
  if (authenticator && !authenticator.isExempt(method, path)) {
    const user = authenticator.authenticate(req.headers.authorization);
    if (user === undefined) return undefined;
    if (user !== '') return user;
  }
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.authorized && typeof socket.getPeerCertificate === 'function') {
    const cn = socket.getPeerCertificate().subject?.CN;
    if (cn) return `CN=${Array.isArray(cn) ? cn.join(',') : cn}`;
  }
  return '';
}

/** Connect's 401: a plain-text body under a JSON content type, as observed, and no WWW-Authenticate header. */
export function sendUnauthorized(res: ServerResponse, closing: boolean): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = 401;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(UNAUTHORIZED_MESSAGE));
  if (closing) res.setHeader('Connection', 'close');
  res.end(UNAUTHORIZED_MESSAGE);
}

/**
 * The worker's REST server: Kafka Connect's REST API over node:http and node:https (one server per entry of
 * `listeners`), a thin wrapper over a Herder. It answers every failure with Connect's error body, bounds every request
 * by a timeout, and never lets a bad request or a broken connection take the process down.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { HerderTimeoutError, RequestTargetError } from '../../herder/errors.js';
import type { Herder } from '../../herder/herder.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { connectorControlRoutes } from './connector-control-routes.js';
import { connectorRoutes } from './connector-routes.js';
import { corsPolicy } from './cors.js';
import type { CorsPolicy } from './cors.js';
import { forwardRequest } from './forwarding.js';
import { errorBody, HttpError, redactLocalPaths, statusForError } from './http-error.js';
import { leaseRoutes } from './lease-routes.js';
import type { LeaseStore } from '../storage/leases/lease-store.js';
import { metricsRoutes } from './metrics-routes.js';
import type { MetricsSource } from './metrics-routes.js';
import { advertisedScheme, listenerUrl, parseListenerList } from './listener.js';
import type { ListenerAddress } from './listener.js';
import type { Authenticator } from './basic-auth.js';
import { identify, sendUnauthorized } from './request-identity.js';
import { answerClientError, closeServer, listen } from './server-lifecycle.js';
import type { RestTls } from './tls-context.js';
import { WorkerConfigError } from '../config/worker-config-error.js';
import { pluginRoutes } from './plugin-routes.js';
import { ClientGoneError, parseJsonBody, readBody } from './read-body.js';
import { parseSignature, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER, verifyInternalRequest } from './request-signature.js';
import type { InternalRequestVerifier } from './request-signature.js';
import { checkContentType, checkHost, checkOrigin } from './request-guard.js';
import type { HostRule } from './request-guard.js';
import { rootRoutes } from './root-routes.js';
import { topicRoutes } from './topic-routes.js';
import { uiRoutes } from './ui-routes.js';
import type { GraphSources } from '../ui/graph-source.js';
import type { TopicRegistry } from './topic-routes.js';
import { createRouter } from './router.js';
import type { RestResponse, Router } from './router.js';

/** Connect's `RestServer.DEFAULT_REST_REQUEST_TIMEOUT_MS`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface RestServerOptions {
  herder: Herder;
  /** Connect's `listeners` syntax (`http://host:port`, `https://host:port`, comma-separated; port 0 = ephemeral). */
  listeners: string;
  /** The key store, trust store and ssl.client.auth of the https:// listeners (required when there is one). */
  tls?: RestTls;
  /** Basic auth (BasicAuthSecurityRestExtension): every route but Connect's internal ones needs valid credentials. */
  authenticator?: Authenticator;
  /** Connect's `rest.advertised.listener` (http or https): which listener's URL is `url`. */
  advertisedListener?: string;
  /** Receives one debug line per request (method, path, status, ms) and an error line per 5xx; never bodies. */
  logger?: Logger;
  /** Larger request bodies are answered with 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** A request whose herder call has not settled by then is answered 500 "Request timed out…". Default 90 s. */
  requestTimeoutMs?: number;
  /** When given, pipectl's lease routes (`/pipectl/v1/leases/{name}`, the apply lock) are served over it. */
  leases?: LeaseStore;
  /** When given, pipectl's topic routes (`GET|POST /pipectl/v1/topics`) are served over it (the worker's data plane). */
  topics?: TopicRegistry;
  /** When given, GET /metrics serves them (Prometheus's text format). */
  metrics?: MetricsSource;
  /** When given, GET /ui serves the read-only web view of the pipelines, built from these and the herder. */
  ui?: GraphSources;
  /** Connect's `access.control.allow.origin` (CORS; blank or absent: no cross-origin access, the default). */
  accessControlAllowOrigin?: string;
  /** Connect's `access.control.allow.methods` (blank: GET, POST, HEAD). Only used with an allowed origin. */
  accessControlAllowMethods?: string;
  /** Distributed mode: verifies the KIP-507 signature of `POST /connectors/{n}/tasks` (absent: only parsed). */
  internalRequests?: InternalRequestVerifier;
  /** `rest.advertised.host.name` / `.port`: also accepted in the Host header when the listener is loopback. */
  advertisedHost?: string;
  advertisedPort?: number;
}

export interface RestServer {
  /**
   * The advertised listener's base URL, e.g. `https://127.0.0.1:8443` (with the bound port when the listener asked for
   * port 0): the first listener of the advertised scheme.
   */
  url: string;
  port: number;
  /** Every listener's base URL, in the order of `listeners`. */
  urls: string[];
  /** Stops accepting connections and resolves once open requests are answered (at most requestTimeoutMs later). */
  close(): Promise<void>;
}

const ALL_ROUTES = [...rootRoutes, ...connectorRoutes, ...connectorControlRoutes, ...pluginRoutes];

interface ServerSettings {
  herder: Herder;
  logger: Logger;
  router: Router;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  closing: () => boolean;
  cors: CorsPolicy | undefined;
  /** Its port is the bound one once listening. */
  hostRule: HostRule;
  scheme: 'http' | 'https';
  authenticator: Authenticator | undefined;
  /** For requests forwarded to other workers (https:// ones): the listener's trust and key stores. */
  peerTls: RestTls['peer'] | undefined;
  internalRequests: InternalRequestVerifier | undefined;
}

/**
 * Starts the REST server: one node:http or node:https server per listener, sharing the routes. Rejects when a listener
 * is invalid, an https:// listener has no `tls`, `advertisedListener` names no listener, or an address cannot be bound
 * (e.g. EADDRINUSE; listeners bound before are closed). An empty listener host binds 127.0.0.1, not every interface as
 * Connect does.
 */
export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const addresses = parseListenerList(options.listeners);
  const advertised = advertisedScheme(addresses, options.advertisedListener);
  if (addresses.some((a) => a.protocol === 'https') && !options.tls) throw new WorkerConfigError('an https:// listener needs a key store (ssl.keystore.location)', 'PIPECTL_WORKER_TLS_STORE');
  let closing = false;
  const shared = {
    herder: options.herder,
    logger: options.logger ?? silentLogger,
    router: createRouter([...ALL_ROUTES, ...(options.leases ? leaseRoutes(options.leases) : []), ...(options.topics ? topicRoutes(options.topics) : []), ...(options.metrics ? metricsRoutes(options.metrics) : []), ...(options.ui ? uiRoutes(options.ui) : [])]),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    closing: () => closing,
    cors: corsPolicy(options.accessControlAllowOrigin, options.accessControlAllowMethods),
    authenticator: options.authenticator,
    peerTls: options.tls?.peer,
    internalRequests: options.internalRequests,
  };
  const bound: { server: Server; url: string; port: number; protocol: 'http' | 'https' }[] = [];
  try {
    for (const address of addresses) bound.push(await startListener(shared, address, options));
  } catch (e) {
    await Promise.all(bound.map((b) => closeServer(b.server, shared.requestTimeoutMs)));
    throw e;
  }
  const main = bound.find((b) => b.protocol === advertised)!;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing = true;
    closed ??= Promise.all(bound.map((b) => closeServer(b.server, shared.requestTimeoutMs))).then(() => undefined);
    return closed;
  };
  return { url: main.url, port: main.port, urls: bound.map((b) => b.url), close };
}

async function startListener(shared: Omit<ServerSettings, 'hostRule' | 'scheme'>, address: ListenerAddress, options: RestServerOptions): Promise<{ server: Server; url: string; port: number; protocol: 'http' | 'https' }> {
  const settings: ServerSettings = {
    ...shared,
    scheme: address.protocol,
    hostRule: {
      listenerHost: address.host,
      port: address.port,
      ...(options.advertisedHost ? { advertisedHost: options.advertisedHost } : {}),
      ...(options.advertisedPort ? { advertisedPort: options.advertisedPort } : {}),
    },
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleRequest(settings, req, res).catch((err: unknown) => {
      settings.logger.error('REST request handling failed', { error: String(err) });
      if (!res.headersSent) res.destroy();
    });
  };
  const tls = options.tls;
  const server: Server = address.protocol === 'https' && tls ? (createHttpsServer(tls.server, onRequest) as unknown as Server) : createServer(onRequest);
  if (address.protocol === 'https' && tls?.clientAuth === 'requested') {
    // "requested" (Java's wantClientAuth): no certificate is fine, an untrusted one is not.
    server.on('secureConnection', (socket: TLSSocket) => {
      if (!socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) socket.destroy();
    });
  }
  if (address.protocol === 'https') {
    // A handshake that fails (plain HTTP on the port, no or an untrusted client certificate) is the client's problem.
    server.on('tlsClientError', (err: Error) => settings.logger.debug('REST TLS handshake refused', { error: err.message }));
  }
  server.on('clientError', (err, socket) => answerClientError(err, socket));
  await listen(server, address.host, address.port);
  server.on('error', (err) => settings.logger.error('REST server error', { error: err.message }));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : address.port;
  settings.hostRule.port = port;
  const url = listenerUrl(address.host, port, address.protocol);
  settings.logger.info('REST server listening', { url, ...(address.protocol === 'https' ? { client_auth: tls!.clientAuth } : {}), ...(settings.authenticator ? { auth: 'basic' } : {}) });
  return { server, url, port, protocol: address.protocol };
}

async function handleRequest(s: ServerSettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  // An absolute-form target (`GET http://host/connectors`) is served by its path.
  const path = (queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt)).replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '');
  res.on('error', () => {}); // a client that went away is not the server's failure
  let response: RestResponse;
  let body: Buffer = Buffer.alloc(0);
  let principal: string | undefined;
  const origin = req.headers.origin;
  try {
    body = await readBody(req, s.maxBodyBytes);
    checkHost(s.hostRule, req.headers.host);
    if (method === 'OPTIONS' && s.cors) {
      // Jetty's CrossOriginFilter answers the preflight's headers; Jersey then answers OPTIONS with `Allow`.
      const allow = s.router.allow(path);
      const cors = s.cors.preflightHeaders(origin, header(req, 'access-control-request-method'), header(req, 'access-control-request-headers'));
      send(s, res, { status: 200, headers: { Allow: allow, ...cors } }, method, path);
      s.logger.debug('REST request', { method, path, status: res.statusCode, ms: elapsed(started) });
      return;
    }
    checkOrigin(method, req.headers, s.cors, s.scheme);
    checkContentType(method, req.headers['content-type'], body.length);
    const { route, params } = s.router.match(method, path);
    // After matching, as Connect's filter runs on matched resources: an unknown path is a 404 before any 401.
    principal = identify(s.authenticator, req, method, path);
    if (principal === undefined) {
      sendUnauthorized(res, s.closing());
      s.logger.debug('REST request', { method, path, status: 401, ms: elapsed(started) });
      return;
    }
    const call = Promise.resolve().then(() =>
      route.handler({
        herder: s.herder,
        logger: s.logger,
        params,
        query: new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1)),
        json: () => parseJsonBody(body),
        verifyInternalRequest: () => {
          const parsed = parseSignature(header(req, SIGNATURE_HEADER.toLowerCase()), header(req, SIGNATURE_ALGORITHM_HEADER.toLowerCase()), body);
          if (s.internalRequests) verifyInternalRequest(s.internalRequests, parsed);
        },
        requestTimeoutMs: s.requestTimeoutMs,
      }),
    );
    response = await awaitHandler(res, call, route.ownTimeout ? undefined : s.requestTimeoutMs);
  } catch (err) {
    if (err instanceof ClientGoneError) {
      s.logger.debug('REST request aborted by the client', { method, path, ms: elapsed(started) });
      return;
    }
    response = err instanceof RequestTargetError ? await forwarded(s, err, { method, path, query: new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1)), body, authorization: req.headers.authorization }) : errorResponse(s, err, method, path);
  }
  if (s.cors && origin !== undefined) response = { ...response, headers: { ...response.headers, ...s.cors.headers(origin) } };
  send(s, res, response, method, path);
  s.logger.debug('REST request', { method, path, status: res.statusCode, ms: elapsed(started), ...(principal ? { principal } : {}) });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Distributed mode: another worker must answer (the leader, or a connector's owner); its answer is passed back. */
async function forwarded(s: ServerSettings, target: RequestTargetError, request: Parameters<typeof forwardRequest>[1]): Promise<RestResponse> {
  try {
    const response = await forwardRequest(target, request, s.requestTimeoutMs, s.peerTls);
    s.logger.debug('REST request forwarded', { method: request.method, path: request.path, to: target.targetUrl ?? '', status: response.status });
    return response;
  } catch (err) {
    return errorResponse(s, err, request.method, request.path);
  }
}

function errorResponse(s: ServerSettings, err: unknown, method: string, path: string): RestResponse {
  const status = statusForError(err);
  const body = errorBody(err);
  if (status >= 500) {
    // The log gets the whole story (the cause may name local paths); the answer does not.
    const cause = err instanceof Error && err.cause !== undefined ? { cause: err.cause instanceof Error ? err.cause.message : String(err.cause) } : {};
    s.logger.error('REST request failed', { method, path, status, error: body.message, ...cause });
    body.message = redactLocalPaths(body.message);
  }
  return { status, body, headers: err instanceof HttpError ? { ...err.headers } : {} };
}

/** Writes a response; a body that cannot be serialised becomes a 500 error body. */
function send(s: ServerSettings, res: ServerResponse, response: RestResponse, method: string, path: string): void {
  if (res.headersSent || res.destroyed) return;
  let payload: string | undefined;
  try {
    payload = response.text ? response.text.content : response.body === undefined ? undefined : JSON.stringify(response.body);
  } catch (err) {
    send(s, res, errorResponse(s, err, method, path), method, path);
    return;
  }
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (s.closing()) res.setHeader('Connection', 'close');
  if (payload === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', response.text ? response.text.contentType : 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/**
 * Waits for a handler, bounded by the request timeout (unless `timeoutMs` is undefined) and by the client: when the
 * connection closes before the answer is written, nobody is left to answer and the timer must not outlive the
 * client. A late result or failure of the handler is dropped.
 */
function awaitHandler<T>(res: ServerResponse, work: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onClose: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    if (timeoutMs !== undefined) {
      const message = `Request timed out. The worker did not complete the request within ${timeoutMs} ms.`;
      timer = setTimeout(() => reject(new HerderTimeoutError(message)), timeoutMs);
    }
    onClose = () => reject(new ClientGoneError('closed'));
    res.once('close', onClose);
  });
  return Promise.race([work, stop]).finally(() => {
    clearTimeout(timer);
    res.off('close', onClose!);
  });
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

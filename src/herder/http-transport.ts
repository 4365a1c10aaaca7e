/**
 * The REST client's transport: one JSON request over global fetch, bounded by a per-request timeout, with bounded,
 * jittered exponential retries of the failures a retry can cure (connection refused or reset, 503 while the worker
 * starts, 409 during a rebalance). It never prints; `onRequest` lets callers observe every attempt.
 */
import { HerderTimeoutError } from './errors.js';
import { classifyNetworkError, errorFromResponse, isTransientConflict, responseMessage, RuntimeUnreachableError } from './rest-errors.js';
import type { RawResponse } from './rest-errors.js';
import { keepAliveHttpsAgent, nodeRequest } from './node-request.js';
import type { Agent as HttpsAgent } from 'node:https';
import { tlsFailure } from './tls-errors.js';

/** TLS to an https:// runtime: PEM contents for node:https, and the files' paths for error messages. */
export interface TransportTls {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  caFile?: string;
  clientCertFile?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Retries: `attempts` tries in all (1 = no retry); before try n+1 it waits ~baseDelayMs·2^(n-1), capped at maxDelayMs.
 * `maxElapsedMs` bounds the whole request (every try and wait) whatever `attempts` says; `refusedLoopbackMs` bounds
 * it more tightly while a loopback runtime refuses the connection (nothing listens on that port: waiting long helps
 * only a worker that is just starting, which binds within a second or two).
 */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs?: number;
  refusedLoopbackMs?: number;
}

/** 8 tries, waits of 0.5, 1, 2, 4, 8, 10, 10 s (each jittered to between half and all of it): ~18–36 s in all. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 500, maxDelayMs: 10_000 };
export const DEFAULT_TIMEOUT_MS = 30_000;
const MIN_LAST_WAIT_MS = 100;

/** What `onRequest` sees after every attempt: the answer's status, or the network failure's reason. */
export interface RequestEvent {
  method: HttpMethod;
  /** The path with its query, e.g. `/connectors?expand=info&expand=status`. */
  path: string;
  /** 1 for the first try. */
  attempt: number;
  status?: number;
  error?: string;
}

/** Said before each wait between two tries (so a user sees the retries as they happen, not 30 s of silence). */
export interface RetryEvent {
  url: string;
  method: HttpMethod;
  path: string;
  /** The try that just failed (1 = the first). */
  attempt: number;
  /** "connection refused", "HTTP 503: …", "HTTP 409: …". */
  reason: string;
  /** The wait before the next try. */
  delayMs: number;
  /** Since the first try of this request. */
  elapsedMs: number;
  /** How long this request may keep retrying in all (Infinity when only `attempts` bounds it). */
  budgetMs: number;
}

export interface TransportOptions {
  /** The runtime's base URL, e.g. `http://127.0.0.1:8083` (a path prefix such as `/connect` is kept). */
  url: string;
  /** Sent with every request (e.g. a bearer token). */
  headers?: Record<string, string>;
  basicAuth?: { user: string; password: string };
  /** A CA bundle and/or client certificate (requests then go over node:https instead of fetch). */
  tls?: TransportTls;
  /** Per request (one attempt), default 30 s. A request that times out is not retried: it may have been applied. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; injectable so tests need no real time. */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) for the jitter; injectable for deterministic tests. */
  random?: () => number;
  /** Called after every attempt (a request counter, a debug log). Must not throw. */
  onRequest?: (event: RequestEvent) => void;
  /** Called before every wait between two tries. Must not throw. */
  onRetry?: (event: RetryEvent) => void;
  /** Clock for the retry budget (default Date.now); injectable for tests. */
  now?: () => number;
}

export interface SendOptions {
  /** Retry 409s that are not "already exists" (default true). False for leases: a held lease is not a rebalance. */
  retryConflicts?: boolean;
  /** Retry 503s (default true). False for GET /health, whose 503 is an answer ("starting"). */
  retryUnavailable?: boolean;
}

export class HttpTransport {
  /** The base URL without a trailing slash. */
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onRequest: ((event: RequestEvent) => void) | undefined;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly now: () => number;
  private readonly loopback: boolean;
  private readonly tls: TransportTls | undefined;
  /** Set for https:// URLs with TLS options: their requests go over node:https, on kept-alive connections. */
  private readonly httpsAgent: HttpsAgent | undefined;

  /** Throws a TypeError when `url` is not an absolute http(s) URL. */
  constructor(options: TransportOptions) {
    const parsed = new URL(options.url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${options.url}`);
    this.url = options.url.replace(/\/+$/, '');
    this.headers = { accept: 'application/json', ...lowerCaseKeys(options.headers ?? {}) };
    if (options.basicAuth) {
      const token = Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`, 'utf8').toString('base64');
      this.headers['authorization'] = `Basic ${token}`;
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.retry = { ...retry, attempts: Math.max(1, Math.floor(retry.attempts)) };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.onRequest = options.onRequest;
    this.onRetry = options.onRetry;
    this.now = options.now ?? Date.now;
    this.loopback = isLoopback(parsed.hostname);
    this.tls = options.tls;
    this.httpsAgent = options.tls && parsed.protocol === 'https:' ? keepAliveHttpsAgent() : undefined;
  }

  /**
   * Sends a request, retrying transient failures, and resolves with the last answer whatever its status (with the
   * number of attempts it took). Rejects with RuntimeUnreachableError when no answer came (after the last attempt for
   * transient failures, at once for others, e.g. an unknown host) and HerderTimeoutError when one attempt timed out.
   */
  async send(method: HttpMethod, path: string, body?: unknown, options: SendOptions = {}): Promise<RawResponse & { attempts: number }> {
    const start = this.now();
    for (let attempt = 1; ; attempt++) {
      let res: RawResponse;
      try {
        res = await this.once(method, path, body);
      } catch (err) {
        if (err instanceof HerderTimeoutError) {
          this.onRequest?.({ method, path, attempt, error: 'timeout' });
          throw err;
        }
        // A certificate problem is not cured by retrying: say at once what to fix.
        const tls = tlsFailure(err, this.url, this.tls);
        if (tls) {
          this.onRequest?.({ method, path, attempt, error: tls.reason });
          throw tls;
        }
        const failure = classifyNetworkError(err);
        this.onRequest?.({ method, path, attempt, error: failure.reason });
        const budget = this.budget(failure.code === 'ECONNREFUSED' && this.loopback);
        const wait = failure.transient ? this.nextWait(attempt, start, budget) : undefined;
        if (wait === undefined) throw new RuntimeUnreachableError(this.url, failure.reason, attempt, { cause: err, ...(Number.isFinite(budget) ? { elapsedMs: this.now() - start } : {}) });
        this.onRetry?.({ url: this.url, method, path, attempt, reason: failure.reason, delayMs: wait, elapsedMs: this.now() - start, budgetMs: budget });
        await this.sleep(wait);
        continue;
      }
      this.onRequest?.({ method, path, attempt, status: res.status });
      const transient = (res.status === 503 && options.retryUnavailable !== false) || (options.retryConflicts !== false && isTransientConflict(res));
      const budget = this.budget(false);
      const wait = transient ? this.nextWait(attempt, start, budget) : undefined;
      if (wait === undefined) return { ...res, attempts: attempt };
      this.onRetry?.({ url: this.url, method, path, attempt, reason: `HTTP ${res.status}: ${responseMessage(res)}`, delayMs: wait, elapsedMs: this.now() - start, budgetMs: budget });
      await this.sleep(wait);
    }
  }

  /** The time budget of one request's retries: the policy's, tighter while a loopback port refuses connections. */
  private budget(refusedOnLoopback: boolean): number {
    const all = this.retry.maxElapsedMs ?? Infinity;
    return refusedOnLoopback ? Math.min(all, this.retry.refusedLoopbackMs ?? Infinity) : all;
  }

  /** The wait before the try after `attempt`, or undefined when the tries or the time budget are used up. */
  private nextWait(attempt: number, start: number, budget: number): number | undefined {
    if (attempt >= this.retry.attempts) return undefined;
    const left = budget - (this.now() - start);
    if (left < MIN_LAST_WAIT_MS) return undefined; // a last try a few ms later would only repeat the answer

    return Math.min(this.delay(attempt), left);
  }

  /**
   * Sends a request and resolves with the answer when its status is 2xx; otherwise rejects with the typed error of
   * errorFromResponse (NotFoundError, AlreadyExistsError, BadRequestError, ConflictError, HerderTimeoutError, …).
   */
  async call(method: HttpMethod, path: string, body?: unknown, options?: SendOptions): Promise<RawResponse> {
    const res = await this.send(method, path, body, options);
    if (res.status >= 200 && res.status < 300) return res;
    throw errorFromResponse(this.url, method, path, res, res.attempts);
  }

  /** The wait before try `attempt + 1`: exponential, capped, with "equal jitter" (between half and all of it). */
  delay(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + this.random() * (exp / 2));
  }

  private async once(method: HttpMethod, path: string, body: unknown): Promise<RawResponse> {
    const headers = { ...this.headers };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      if (this.tls) {
        // fetch takes no CA or client certificate without undici's Agent (not a dependency); redirects are not followed.
        const { ca, cert, key } = this.tls;
        const res = await nodeRequest(this.url + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}), signal, tls: { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) }, ...(this.httpsAgent ? { httpsAgent: this.httpsAgent } : {}) });
        return { status: res.status, text: res.text, body: parseJson(res.text) };
      }
      const res = await fetch(this.url + path, { method, headers, body: payload, signal, redirect: 'follow' });
      const text = await res.text();
      return { status: res.status, text, body: parseJson(text) };
    } catch (err) {
      if (signal.aborted || (err instanceof Error && err.name === 'TimeoutError')) {
        throw new HerderTimeoutError(`no answer from the runtime at ${this.url} within ${this.timeoutMs} ms (${method} ${path})`);
      }
      throw err;
    }
  }
}

/** 127.0.0.0/8, ::1 and localhost: a refused connection there means nothing listens on this machine's port. */
function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * A small route table: `METHOD /literal/{param}/…` templates matched segment by segment. Path parameters are
 * URL-decoded after the path is split, so `%2F` stays inside a connector name and `%20` becomes a space.
 */
import type { Herder } from '../../herder/herder.js';
import type { Logger } from '../logger.js';
import { HttpError } from './http-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler answers. No `body` means no content (204, or Connect's bodyless 202). */
export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of `body` as JSON (e.g. the Prometheus text format of GET /metrics). */
  text?: { contentType: string; content: string };
}

/** What a handler sees of one request. */
export interface RouteContext {
  herder: Herder;
  logger: Logger;
  /** Decoded path parameters by template name. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The body parsed as JSON (`undefined` when empty); throws HttpError 400 when it is malformed. */
  json(): unknown;
  /**
   * KIP-507: parses the signature headers over the raw body and, in a sessioned group, verifies them. Throws HttpError
   * 400 (missing or malformed signature, algorithm not accepted), 503 (no session key read yet), 403 (wrong MAC).
   */
  verifyInternalRequest(): void;
  /** The server's request timeout, for routes that enforce their own (see Route.ownTimeout). */
  requestTimeoutMs: number;
}

export interface Route {
  method: HttpMethod;
  /** e.g. `/connectors/{connector}/tasks/{task}/status` */
  path: string;
  handler: (ctx: RouteContext) => Promise<RestResponse>;
  /** The handler bounds its own herder calls (GET /health answers with its own body on timeout). */
  ownTimeout?: boolean;
}

/** A route table compiled once. */
export interface Router {
  /**
   * The route for a method and raw (still percent-encoded) path, with its decoded params. HEAD is served by GET.
   * Throws HttpError 404 for an unknown path, 405 (with `Allow`) for a known path and another method, 400 for bad
   * percent-encoding.
   */
  match(method: string, rawPath: string): { route: Route; params: Record<string, string> };
  /** The methods served on a path (`GET, POST`), as a 405's `Allow` says. Throws as match() does for a bad path. */
  allow(rawPath: string): string;
}

type Segment = { literal: string } | { param: string };

export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes.map((route) => ({ route, segments: compile(route.path) }));
  const matching = (rawPath: string): { route: Route; params: Record<string, string> }[] => {
    const parts = splitPath(rawPath);
    const matches: { route: Route; params: Record<string, string> }[] = [];
    for (const { route, segments } of compiled) {
      const params = matchSegments(segments, parts);
      if (params) matches.push({ route, params });
    }
    if (matches.length === 0) throw new HttpError(404, 'HTTP 404 Not Found');
    return matches;
  };
  return {
    allow(rawPath) {
      return [...new Set(matching(rawPath).map((m) => m.route.method))].join(', ');
    },
    match(method, rawPath) {
      const matches = matching(rawPath);
      const wanted = method === 'HEAD' ? 'GET' : method;
      const found = matches.find((m) => m.route.method === wanted);
      if (found) return found;
      const allow = [...new Set(matches.map((m) => m.route.method))].join(', ');
      throw new HttpError(405, 'HTTP 405 Method Not Allowed', { Allow: allow });
    },
  };
}

function compile(template: string): Segment[] {
  return template
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s }));
}

/** Splits and decodes a path; one trailing slash is ignored (`/connectors/` is `/connectors`). */
function splitPath(rawPath: string): string[] {
  const parts = rawPath.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in the URL path');
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.param] = part;
    }
  }
  return params;
}

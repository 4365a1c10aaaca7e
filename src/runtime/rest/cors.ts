/**
 * Connect's CORS settings, as Jetty's CrossOriginFilter applies them when `access.control.allow.origin` is set
 * (Connect installs the filter only then; nothing is allowed by default):
 * - `access.control.allow.origin`: comma-separated origins, `*` for any; `*` inside an entry matches any characters
 *   (`https://*.example.com`).
 * - `access.control.allow.methods`: comma-separated; blank means the filter's default `GET,POST,HEAD`.
 * An allowed origin gets `Access-Control-Allow-Origin: <origin>` and `Access-Control-Allow-Credentials: true` on every
 * answer; a preflight (`OPTIONS` with `Access-Control-Request-Method`) whose method and headers are allowed also gets
 * the allowed methods and headers and `Access-Control-Max-Age: 1800`. A preflight that is not allowed gets no CORS
 * headers (the browser then refuses the request), as with the filter. Pure: no I/O.
 */

/** The filter's defaults (`allowedMethods`, `allowedHeaders`, `preflightMaxAge`). */
const DEFAULT_METHODS = ['GET', 'POST', 'HEAD'];
const ALLOWED_HEADERS = ['X-Requested-With', 'Content-Type', 'Accept', 'Origin'];
const PREFLIGHT_MAX_AGE_S = 1800;

export interface CorsPolicy {
  allowsOrigin(origin: string): boolean;
  /** The CORS headers for an answer to a request from `origin` (none when the origin is not allowed). */
  headers(origin: string | undefined): Record<string, string>;
  /** The CORS headers for a preflight (none when its origin, method or headers are not allowed). */
  preflightHeaders(origin: string | undefined, method: string | undefined, requestHeaders: string | undefined): Record<string, string>;
}

/** The policy of a worker config's two keys; undefined when `access.control.allow.origin` is blank (no CORS). */
export function corsPolicy(allowOrigin: string | undefined, allowMethods: string | undefined): CorsPolicy | undefined {
  const origins = list(allowOrigin ?? '');
  if (origins.length === 0) return undefined;
  const any = origins.includes('*');
  const patterns = origins.map((o) => new RegExp(`^${o.split('*').map(escapeRegExp).join('.*')}$`));
  const methods = list(allowMethods ?? '').map((m) => m.toUpperCase());
  const allowedMethods = methods.length > 0 ? methods : DEFAULT_METHODS;
  const allowsOrigin = (origin: string): boolean => any || patterns.some((p) => p.test(origin));
  const headers = (origin: string | undefined): Record<string, string> =>
    origin !== undefined && allowsOrigin(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {};
  return {
    allowsOrigin,
    headers,
    preflightHeaders(origin, method, requestHeaders) {
      if (origin === undefined || method === undefined || !allowsOrigin(origin)) return {};
      if (!allowedMethods.includes(method.trim().toUpperCase())) return {};
      const allowedLower = ALLOWED_HEADERS.map((h) => h.toLowerCase());
      if (!list(requestHeaders ?? '').every((h) => allowedLower.includes(h.toLowerCase()))) return {};
      return {
        ...headers(origin),
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
        'Access-Control-Allow-Methods': allowedMethods.join(','),
        'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(','),
      };
    },
  };
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

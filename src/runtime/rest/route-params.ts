/**
 * Reading path and query parameters the way Connect's JAX-RS resources do.
 */
import { HttpError } from './http-error.js';
import type { RouteContext } from './router.js';

const MAX_TASK_ID = 2 ** 31 - 1;

/** The decoded `{connector}` path parameter (never empty: the router does not match an empty segment). */
export function connectorParam(ctx: RouteContext): string {
  return ctx.params['connector'] ?? '';
}

/**
 * The `{task}` path parameter as a Java int. Anything else is a 404, as JAX-RS answers when a path parameter cannot
 * be converted.
 */
export function taskParam(ctx: RouteContext): number {
  const raw = ctx.params['task'] ?? '';
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(id <= MAX_TASK_ID)) throw new HttpError(404, `Task id ${JSON.stringify(raw)} is not a valid task number`);
  return id;
}

/**
 * A boolean query parameter with Java's Boolean.valueOf semantics: "true" in any case is true, any other value is
 * false; an absent parameter gives `fallback`.
 */
export function booleanQuery(ctx: RouteContext, name: string, fallback: boolean): boolean {
  const value = ctx.query.get(name);
  return value === null ? fallback : value.toLowerCase() === 'true';
}

/** `/connectors/<name>` with the name percent-encoded, for `Location` headers. */
export function connectorLocation(name: string): string {
  return `/connectors/${encodeURIComponent(name)}`;
}

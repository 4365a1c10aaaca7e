/**
 * pipectl's own routes (not Kafka Connect's): `/pipectl/v1/leases/{name}`, the apply lock. Served only when the
 * server is given a lease store. Bodies use Connect's snake_case and error body; a 409 adds `holder` and
 * `expires_at` to it so clients need not parse the message. Never forwarded: every lease store answers for the whole
 * runtime (standalone: one process; distributed: the lease topic, which any worker reads and writes). A store that
 * rejects is answered through the one error mapping: 503 when the lease topic cannot be reached (ServiceUnavailableError),
 * 500 otherwise, with its message.
 */
import { HttpError } from './http-error.js';
import { expectObject } from './request-shapes.js';
import type { Route, RouteContext, RestResponse } from './router.js';
import type { LeaseRecord, LeaseStore } from '../storage/leases/lease-store.js';

/** ttl_ms when the body leaves it out, and the longest accepted (a lease is meant to be renewed, not parked). */
export const DEFAULT_LEASE_TTL_MS = 60_000;
export const MAX_LEASE_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_TEXT = 256;

function leaseBody(lease: LeaseRecord): { name: string; holder: string; expires_at: string } {
  return { name: lease.name, holder: lease.holder, expires_at: new Date(lease.expiresAt).toISOString() };
}

function held(lease: LeaseRecord): RestResponse {
  const body = leaseBody(lease);
  return {
    status: 409,
    body: { error_code: 409, message: `lease ${lease.name} is held by ${lease.holder} until ${body.expires_at}`, holder: body.holder, expires_at: body.expires_at },
  };
}

function none(name: string): RestResponse {
  return { status: 404, body: { error_code: 404, message: `No lease named ${JSON.stringify(name)}` } };
}

function leaseName(ctx: RouteContext): string {
  const name = ctx.params['lease'] ?? '';
  if (name.length > MAX_TEXT) throw new HttpError(400, `A lease name must be at most ${MAX_TEXT} characters`);
  return name;
}

function holderText(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `${where} must be a non-empty string`);
  if (value.length > MAX_TEXT) throw new HttpError(400, `${where} must be at most ${MAX_TEXT} characters`);
  return value;
}

/** PUT: `{"holder": "...", "ttl_ms": 60000}` → 200 with the lease (taken or renewed), 409 when another holds it. */
function acquire(leases: LeaseStore) {
  return async (ctx: RouteContext): Promise<RestResponse> => {
    const name = leaseName(ctx);
    const body = expectObject(ctx.json(), 'Lease request');
    const unknown = Object.keys(body).filter((k) => k !== 'holder' && k !== 'ttl_ms');
    if (unknown.length > 0) throw new HttpError(400, `Lease request: unknown field "${unknown[0]}" (expected holder, ttl_ms)`);
    const holder = holderText(body['holder'], 'Lease request: "holder"');
    const ttl = body['ttl_ms'] ?? DEFAULT_LEASE_TTL_MS;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_LEASE_TTL_MS) {
      throw new HttpError(400, `Lease request: "ttl_ms" must be an integer between 1 and ${MAX_LEASE_TTL_MS}`);
    }
    const result = await leases.acquire(name, holder, ttl);
    return result.ok ? { status: 200, body: leaseBody(result.lease) } : held(result.heldBy);
  };
}

/** DELETE ?holder=: 204 when released, 409 when another holds it, 404 when there is none. */
function release(leases: LeaseStore) {
  return async (ctx: RouteContext): Promise<RestResponse> => {
    const name = leaseName(ctx);
    const holder = holderText(ctx.query.get('holder') ?? '', 'The "holder" query parameter');
    const result = await leases.release(name, holder);
    if (result.ok) return { status: 204 };
    return result.reason === 'held' ? held(result.heldBy) : none(name);
  };
}

/** The lease routes over a lease store (storage/leases/lease-store.ts). */
export function leaseRoutes(leases: LeaseStore): Route[] {
  const path = '/pipectl/v1/leases/{lease}';
  return [
    { method: 'PUT', path, handler: acquire(leases) },
    { method: 'DELETE', path, handler: release(leases) },
    {
      method: 'GET',
      path,
      handler: async (ctx) => {
        const name = leaseName(ctx);
        const lease = await leases.get(name);
        return lease ? { status: 200, body: leaseBody(lease) } : none(name);
      },
    },
  ];
}

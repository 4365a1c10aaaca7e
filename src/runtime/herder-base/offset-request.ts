/**
 * Checks the source offsets of an offsets request (PATCH /connectors/{name}/offsets) before anything is stored:
 * Connect's allowed shape (OffsetUtils.validateFormat: a map of string keys to primitive values — here, as JSON,
 * string, number, boolean or null; no nested objects or arrays, so the depth is bounded), plus size limits, so that
 * nothing the request carries can later fail to be serialised or bloat offsets.json. Iterative: no recursion into
 * whatever depth the request has.
 */
import { StateError } from '../storage/files/state-error.js';

/** Most entries one request may carry. */
export const MAX_OFFSET_ENTRIES = 10_000;
/** Largest JSON text of one source partition or offset map. */
export const MAX_OFFSET_MAP_BYTES = 64 * 1024;

/**
 * Throws StateError(PIPECTL_STATE_INVALID_OFFSET) naming the entry and field when an entry's partition is not a valid
 * map, or its offset is neither a valid map nor null, or when there are too many entries.
 */
export function validateSourceOffsetEntries(entries: readonly { partition: unknown; offset: unknown }[]): void {
  if (entries.length > MAX_OFFSET_ENTRIES) {
    throw new StateError('PIPECTL_STATE_INVALID_OFFSET', `an offsets request may hold at most ${MAX_OFFSET_ENTRIES} entries, got ${entries.length}`);
  }
  for (const [i, e] of entries.entries()) {
    validateMap(e.partition, `entry ${i}: the source partition`);
    if (e.offset !== null) validateMap(e.offset, `entry ${i}: the source offset`);
  }
}

function validateMap(value: unknown, what: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StateError('PIPECTL_STATE_INVALID_OFFSET', `${what} must be a JSON object`);
  }
  let bytes = 2;
  for (const [k, v] of Object.entries(value)) {
    const t = typeof v;
    if (!(v === null || t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v)))) {
      const kind = Array.isArray(v) ? 'an array' : v !== null && t === 'object' ? 'an object' : `a ${t}`;
      throw new StateError('PIPECTL_STATE_INVALID_OFFSET', `${what} may only hold string, number, boolean or null values, but field "${k.slice(0, 100)}" holds ${kind}`);
    }
    bytes += Buffer.byteLength(k) + (t === 'string' ? Buffer.byteLength(v as string) : 8) + 6;
    if (bytes > MAX_OFFSET_MAP_BYTES) throw new StateError('PIPECTL_STATE_INVALID_OFFSET', `${what} is larger than ${MAX_OFFSET_MAP_BYTES} bytes`);
  }
}

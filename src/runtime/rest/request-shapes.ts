/**
 * Checks the JSON shapes of request bodies and turns them into the Herder's types. Every mismatch is an HttpError 400
 * whose message says what was expected (Connect's Jackson answers most of these with 500). Objects are rebuilt with
 * Object.fromEntries, so a `__proto__` key stays a plain key.
 */
import type { ConnectorConfig, ConnectorOffset, ConnectorOffsets, InitialState } from '../../herder/types.js';
import { HttpError } from './http-error.js';

/** POST /connectors, after checking: `name` trimmed, `config` a flat string map. */
export interface CreateConnectorRequest {
  name: string;
  config: ConnectorConfig;
  initialState?: InitialState;
}

const INITIAL_STATES: readonly InitialState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

/** The body must be a JSON object; `what` names it in the message ("Connector config"). */
export function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) throw bad(`${what} is required: expected a JSON object in the request body`);
  if (!isObject(value)) throw bad(`${what} must be a JSON object, got ${describe(value)}`);
  return value;
}

/**
 * A flat map of string values. Like Connect (whose Jackson coerces scalars), a number or boolean is accepted and
 * stored as its string form (`"tasks.max": 1` → `"1"`), so existing Connect clients work unchanged; objects, arrays
 * and null are rejected.
 */
export function expectStringMap(value: unknown, what: string): ConnectorConfig {
  const entries = Object.entries(expectObject(value, what)).map(([key, v]): [string, string] => {
    const s = scalarString(v);
    if (s === undefined) throw bad(`${what}: the value of "${key}" must be a string, got ${describe(v)}`);
    return [key, s];
  });
  return Object.fromEntries(entries);
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return undefined;
}

/** PATCH /connectors/{n}/config: string values, or null to delete a key (KIP-477). */
export function expectConfigPatch(value: unknown): Record<string, string | null> {
  const what = 'Connector config patch';
  const entries = Object.entries(expectObject(value, what)).map(([key, v]): [string, string | null] => {
    if (v === null) return [key, null];
    const s = scalarString(v);
    if (s === undefined) throw bad(`${what}: the value of "${key}" must be a string or null, got ${describe(v)}`);
    return [key, s];
  });
  return Object.fromEntries(entries);
}

function rejectUnknownFields(body: Record<string, unknown>, known: readonly string[], what: string): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) throw bad(`Unrecognized field "${key}" in ${what}; expected ${known.join(', ')}`);
  }
}

/** POST /connectors body `{name, config, initial_state?}`; `initial_state` is case-insensitive (KIP-980). */
export function parseCreateConnector(value: unknown): CreateConnectorRequest {
  const body = expectObject(value, 'The create connector request');
  rejectUnknownFields(body, ['name', 'config', 'initial_state'], 'the create connector request');
  const { name, config, initial_state: state } = body;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw bad(`Connector "name" must be a string, got ${describe(name)}`);
  }
  const request: CreateConnectorRequest = {
    // As Connect: trimmed, and a missing name becomes "" which the herder's validation rejects.
    name: typeof name === 'string' ? name.trim() : '',
    config: expectStringMap(config, 'Connector config'),
  };
  if (state !== undefined && state !== null) {
    const upper = typeof state === 'string' ? state.toUpperCase() : undefined;
    const initial = INITIAL_STATES.find((s) => s === upper);
    if (!initial) {
      throw bad(`Invalid initial_state ${JSON.stringify(state)}: expected one of ${INITIAL_STATES.join(', ')}`);
    }
    request.initialState = initial;
  }
  return request;
}

/**
 * Connect's name check: a `name` in the config must equal the connector's name; a missing one is filled in.
 * Returns a new config; throws HttpError 400 with Connect's message on a mismatch.
 */
export function withConnectorName(connector: string, config: ConnectorConfig): ConnectorConfig {
  const included = config['name'];
  if (included === undefined) return { ...config, name: connector };
  if (included !== connector) {
    throw bad(`Connector name configuration (${included}) doesn't match connector name in the URL (${connector})`);
  }
  return config;
}

/** PATCH /connectors/{n}/offsets body `{"offsets":[{"partition":{…},"offset":{…}|null}]}`. */
export function parseAlterOffsets(value: unknown): ConnectorOffsets {
  const missing = 'Partitions / offsets need to be provided for an alter offsets request';
  if (value === undefined || value === null) throw bad(missing);
  const body = expectObject(value, 'The alter offsets request');
  rejectUnknownFields(body, ['offsets'], 'the alter offsets request');
  const list = body['offsets'];
  if (list === undefined || list === null) throw bad(missing);
  if (!Array.isArray(list)) throw bad(`"offsets" must be a JSON array, got ${describe(list)}`);
  if (list.length === 0) throw bad(missing);
  const offsets = list.map((item: unknown, i): ConnectorOffset => {
    const entry = expectObject(item, `offsets[${i}]`);
    rejectUnknownFields(entry, ['partition', 'offset'], `offsets[${i}]`);
    const { partition, offset } = entry;
    if (!isObject(partition)) throw bad(`offsets[${i}].partition must be a JSON object, got ${describe(partition)}`);
    if (offset !== undefined && offset !== null && !isObject(offset)) {
      throw bad(`offsets[${i}].offset must be a JSON object or null, got ${describe(offset)}`);
    }
    return { partition, offset: offset ?? null };
  });
  return { offsets };
}

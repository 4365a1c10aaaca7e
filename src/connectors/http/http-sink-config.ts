/**
 * The HTTP sink's config keys, declared once (validation, GET /connector-plugins/…/config, secret hiding), and the
 * typed settings a task reads from them. Validation messages never quote `http.url` or a header value: a URL may hold
 * a password and a header a token.
 */
import type { ConfigDef, ConfigKeyDef } from '../../plugins/config-def.js';
import { configValue } from '../../plugins/config-def.js';
import { javaTrim, parseList } from '../../plugins/config-validation.js';

export type HttpMethod = 'POST' | 'PUT' | 'PATCH';

/** A task's settings, parsed from a config that passed validation. */
export interface HttpSinkSettings {
  /** The URL without its user info (fetch refuses credentials in a URL); never logged. */
  url: string;
  method: HttpMethod;
  /** Every header sent with each request: the configured ones, the auth header, Basic auth from the URL's user info. */
  headers: Readonly<Record<string, string>>;
  /**
   * The secret texts an endpoint could echo back in a response body (the auth header's value and its token, the URL's
   * password, user:password and its base64): hidden in the excerpts that go into errors and DLQ headers.
   */
  secretValues: readonly string[];
  includeMetadata: boolean;
  maxRecords: number;
  maxBytes: number;
  lingerMs: number;
  requestTimeoutMs: number;
  maxRetries: number;
  backoffMs: number;
  backoffMaxMs: number;
}

const GROUP_CONNECTION = 'Connection';
const GROUP_BATCHING = 'Batching';
const GROUP_RETRIES = 'Retries';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the sink sets itself. */
const RESERVED = new Set(['idempotency-key', 'content-length', 'host', 'transfer-encoding', 'connection']);

/** Why a URL is unusable, or undefined; never quotes it. */
function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Invalid value for configuration http.url: not an absolute URL (the value is not repeated here: it may hold a password)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Invalid value for configuration http.url: the scheme must be http or https, not ${url.protocol.slice(0, -1)}`;
  return undefined;
}

/** `Name: Value` → [name, value], or a message that names the problem without quoting the value. */
function parseHeader(key: string, entry: string): [string, string] | string {
  const colon = entry.indexOf(':');
  if (colon <= 0) return `Invalid value for configuration ${key}: each header must be written Name:Value`;
  const name = entry.slice(0, colon).trim();
  const value = entry.slice(colon + 1).trim();
  if (!TOKEN.test(name)) return `Invalid value for configuration ${key}: a header name must be an HTTP token (letters, digits, -)`;
  if (RESERVED.has(name.toLowerCase())) return `Invalid value for configuration ${key}: the sink sets the header ${name} itself`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return `Invalid value for configuration ${key}: the value of header ${name} has a control character`;
  if (/[^\u0000-\u00ff]/.test(value)) return `Invalid value for configuration ${key}: the value of header ${name} has a character outside ISO-8859-1, which HTTP headers cannot carry`;
  return [name, value];
}

function headersProblem(key: string, entries: string[]): string | undefined {
  for (const e of entries) {
    const parsed = parseHeader(key, e);
    if (typeof parsed === 'string') return parsed;
  }
  return undefined;
}

const positive = (name: string, min: number) => (v: string): string | undefined => (Number(v) < min ? `Invalid value ${v} for configuration ${name}: Value must be at least ${min}` : undefined);
/** The longest delay Node's timers take (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** A time in ms from `min` up to MAX_TIMER_MS, with the messages of Connect's Range validator. */
const timeMs = (name: string, min: number) => (v: string): string | undefined =>
  positive(name, min)(v) ?? (Number(v) > MAX_TIMER_MS ? `Invalid value ${v} for configuration ${name}: Value must be no more than ${MAX_TIMER_MS}` : undefined);

function key(def: Omit<ConfigKeyDef, 'importance'> & { importance?: ConfigKeyDef['importance'] }): ConfigKeyDef {
  return { importance: 'MEDIUM', ...def };
}

export const HTTP_SINK_CONFIG: ConfigDef = [
  key({
    name: 'http.url', type: 'STRING', importance: 'HIGH', group: GROUP_CONNECTION, order: 1,
    documentation: "The endpoint's http:// or https:// URL (Confluent: http.api.url). User info (https://user:pw@host/) becomes a Basic Authorization header; the password is a secret, never logged or echoed.",
    validate: (v) => urlProblem(v),
  }),
  key({
    name: 'http.method', type: 'STRING', default: 'POST', importance: 'HIGH', group: GROUP_CONNECTION, order: 2, recommendedValues: ['POST', 'PUT', 'PATCH'],
    documentation: 'The request method: POST, PUT or PATCH (Confluent: request.method).',
    validate: (v) => (['POST', 'PUT', 'PATCH'].includes(v.toUpperCase()) ? undefined : `Invalid value ${v} for configuration http.method: must be one of POST, PUT, PATCH`),
  }),
  key({
    name: 'http.headers', type: 'LIST', default: '', group: GROUP_CONNECTION, order: 3,
    documentation: 'Headers sent with every request, comma-separated Name:Value pairs (values cannot hold a comma). Content-Type defaults to application/json; Idempotency-Key, Content-Length and Host are set by the sink. Not for secrets: use http.auth.header.',
    validate: (v) => headersProblem('http.headers', parseList(v)),
  }),
  key({
    name: 'http.auth.header', type: 'PASSWORD', default: null, group: GROUP_CONNECTION, order: 4,
    documentation: 'One header holding a credential, written Name: Value, e.g. "Authorization: Bearer ${secrets:api/token}" — a secret: resolved through the worker\'s config providers, shown [hidden] and never logged.',
    validate: (v) => (javaTrim(v) === '' ? undefined : headersProblem('http.auth.header', [v])),
  }),
  key({
    name: 'http.body.include.metadata', type: 'BOOLEAN', default: 'false', importance: 'LOW', group: GROUP_CONNECTION, order: 5,
    documentation: 'false: the body is a JSON array of the record values; true: of objects {topic, partition, offset, timestamp, key, value}.',
  }),
  key({
    name: 'batch.max.records', type: 'INT', default: '500', group: GROUP_BATCHING, order: 1,
    documentation: "Most records in one request (Confluent: batch.max.size). Batches are cut per topic partition on offsets that are multiples of this number, so a batch delivered again after a crash usually has the same records and Idempotency-Key.",
    validate: positive('batch.max.records', 1),
  }),
  key({
    name: 'batch.max.bytes', type: 'INT', default: '1048576', group: GROUP_BATCHING, order: 2,
    documentation: 'Most bytes of JSON in one request body; a record larger than this alone is sent alone.',
    validate: positive('batch.max.bytes', 64),
  }),
  key({
    name: 'batch.linger.ms', type: 'LONG', default: '1000', group: GROUP_BATCHING, order: 3,
    documentation: 'How long a batch that is not full may wait for more records before it is sent (0: until full or flushed). flush() always sends everything.',
    validate: timeMs('batch.linger.ms', 0),
  }),
  key({
    name: 'request.timeout.ms', type: 'INT', default: '30000', group: GROUP_RETRIES, order: 1,
    documentation: 'How long one request may take, connecting included, before it is abandoned and retried with the same Idempotency-Key (Confluent: http.request.timeout.ms).',
    validate: positive('request.timeout.ms', 1),
  }),
  key({
    name: 'max.retries', type: 'INT', default: '10', group: GROUP_RETRIES, order: 2,
    documentation: 'Retries of a request after a 5xx, 408, 429, a timeout or a connection error, before the task fails (as Confluent).',
    validate: positive('max.retries', 0),
  }),
  key({
    name: 'retry.backoff.ms', type: 'LONG', default: '3000', group: GROUP_RETRIES, order: 3,
    documentation: 'The first retry waits about this long; each further retry twice as long, with jitter (as Confluent).',
    validate: timeMs('retry.backoff.ms', 0),
  }),
  key({
    name: 'retry.backoff.max.ms', type: 'LONG', default: '60000', group: GROUP_RETRIES, order: 4,
    documentation: 'The longest back-off between retries. A Retry-After header on a 429 or 503 is honoured even when longer (up to 10 minutes).',
    validate: (v, config) => timeMs('retry.backoff.max.ms', 0)(v) ?? (Number(v) < Number(config['retry.backoff.ms'] ?? '3000') ? `Invalid value ${v} for configuration retry.backoff.max.ms: must be at least retry.backoff.ms` : undefined),
  }),
];

/** The task's settings from a valid config (run assertValidConfig first: values are not checked again here). */
export function parseHttpSinkSettings(config: Readonly<Record<string, string>>): HttpSinkSettings {
  const get = (name: string): string => javaTrim(configValue(HTTP_SINK_CONFIG, config, name) ?? '');
  const url = new URL(get('http.url'));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const secretValues: string[] = [];
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    const basic = Buffer.from(credentials).toString('base64');
    headers['authorization'] = `Basic ${basic}`;
    secretValues.push(headers['authorization'], basic, credentials, decodeURIComponent(url.password));
    url.username = '';
    url.password = '';
  }
  for (const entry of parseList(get('http.headers'))) {
    const [name, value] = parseHeader('http.headers', entry) as [string, string];
    headers[name.toLowerCase()] = value;
  }
  const auth = get('http.auth.header');
  if (auth !== '') {
    const [name, value] = parseHeader('http.auth.header', auth) as [string, string];
    headers[name.toLowerCase()] = value;
    secretValues.push(value, ...value.split(/\s+/).slice(1)); // `Bearer <token>`: the token alone too
  }
  return {
    url: url.toString(),
    method: get('http.method').toUpperCase() as HttpMethod,
    headers,
    // Longest first, so that a whole value is hidden before a part of it; too short to hide without mangling the text: kept.
    secretValues: [...new Set(secretValues)].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length),
    includeMetadata: get('http.body.include.metadata').toLowerCase() === 'true',
    maxRecords: Number(get('batch.max.records')),
    maxBytes: Number(get('batch.max.bytes')),
    lingerMs: Number(get('batch.linger.ms')),
    requestTimeoutMs: Number(get('request.timeout.ms')),
    maxRetries: Number(get('max.retries')),
    backoffMs: Number(get('retry.backoff.ms')),
    backoffMaxMs: Number(get('retry.backoff.max.ms')),
  };
}

/**
 * Parses Kafka Connect's `listeners` setting (`http://host:port` and `https://host:port`, comma-separated) into where
 * the REST server binds, and picks the advertised listener (`rest.advertised.listener`) as Connect does.
 */
import { WorkerConfigError } from '../config/worker-config-error.js';

/** Where the REST server listens. `host` has no IPv6 brackets; `port` 0 asks the OS for an ephemeral port. */
export interface ListenerAddress {
  protocol: 'http' | 'https';
  host: string;
  port: number;
}

/**
 * The host used when a listener names none (`http://:8083`). Connect binds every interface then; pipectl binds the
 * loopback interface so a worker is only reachable from other hosts when the operator names an address
 * (`http://0.0.0.0:8083`).
 */
export const DEFAULT_LISTENER_HOST = '127.0.0.1';

const LISTENER = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[0-9A-Za-z:.%-]*\]|[0-9A-Za-z.%_-]*):(\d{1,5})\/?$/;

/**
 * Parses every entry of a comma-separated `listeners` value, in order (one server per entry). Throws a
 * WorkerConfigError (PIPECTL_WORKER_INVALID_CONFIG) naming the entry when the list is empty, an entry is malformed,
 * its scheme is neither `http` nor `https` (case-insensitive, as Connect), or its port is above 65535.
 */
export function parseListenerList(listeners: string): ListenerAddress[] {
  const entries = listeners.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw new WorkerConfigError(`Invalid REST listener "${listeners}": expected http://host:port or https://host:port, e.g. http://127.0.0.1:8083`);
  return entries.map(parseEntry);
}

/** The first listener of a comma-separated `listeners` value; throws as parseListenerList. */
export function parseListeners(listeners: string): ListenerAddress {
  return parseListenerList(listeners)[0]!;
}

function parseEntry(entry: string): ListenerAddress {
  const match = LISTENER.exec(entry);
  if (!match) {
    throw new WorkerConfigError(`Invalid REST listener "${entry}": expected http://host:port or https://host:port, e.g. http://127.0.0.1:8083`);
  }
  const [, scheme = '', rawHost = '', rawPort = ''] = match;
  const protocol = scheme.toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    throw new WorkerConfigError(`Unsupported REST listener protocol "${scheme}" in "${entry}": only http and https are supported`);
  }
  const port = Number(rawPort);
  if (port > 65535) throw new WorkerConfigError(`Invalid REST listener port ${rawPort} in "${entry}"`);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { protocol, host: host === '' ? DEFAULT_LISTENER_HOST : host, port };
}

/**
 * The scheme other workers are told to use (Connect's `rest.advertised.listener`): the configured one, else `http`
 * when any http listener exists, else `https`. Throws a WorkerConfigError when the configured scheme has no listener.
 */
export function advertisedScheme(listeners: readonly ListenerAddress[], configured: string | undefined): 'http' | 'https' {
  const wanted = configured?.trim().toLowerCase();
  if (wanted === undefined || wanted === '') return listeners.some((l) => l.protocol === 'http') ? 'http' : 'https';
  if (wanted !== 'http' && wanted !== 'https') throw new WorkerConfigError(`worker config rest.advertised.listener=${configured} must be http or https`);
  if (!listeners.some((l) => l.protocol === wanted)) throw new WorkerConfigError(`worker config rest.advertised.listener=${wanted} names no listener of listeners (${listeners.map((l) => l.protocol).join(', ')})`);
  return wanted;
}

/** The base URL of a bound listener (`http://127.0.0.1:8083`, `https://[::1]:8443`). */
export function listenerUrl(host: string, port: number, protocol: 'http' | 'https' = 'http'): string {
  return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

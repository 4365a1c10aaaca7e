/**
 * Parses Kafka Connect's `listeners` setting (`http://host:port`, comma-separated) into where the REST server binds.
 */
import { WorkerConfigError } from '../config/worker-config.js';

/** Where the REST server listens. `host` has no IPv6 brackets; `port` 0 asks the OS for an ephemeral port. */
export interface ListenerAddress {
  protocol: 'http';
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
 * Parses the first listener of a comma-separated `listeners` value; the others are ignored (one server, one port).
 * Throws a WorkerConfigError (PIPECTL_WORKER_INVALID_CONFIG) naming the value when it is empty, malformed, not `http`,
 * or the port is above 65535.
 */
export function parseListeners(listeners: string): ListenerAddress {
  const first = listeners.split(',')[0]?.trim() ?? '';
  const match = LISTENER.exec(first);
  if (!match) {
    throw new WorkerConfigError(`Invalid REST listener "${first}": expected http://host:port, e.g. http://127.0.0.1:8083`);
  }
  const [, scheme = '', rawHost = '', rawPort = ''] = match;
  if (scheme.toLowerCase() !== 'http') {
    throw new WorkerConfigError(`Unsupported REST listener protocol "${scheme}" in "${first}": only http is supported`);
  }
  const port = Number(rawPort);
  if (port > 65535) throw new WorkerConfigError(`Invalid REST listener port ${rawPort} in "${first}"`);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { protocol: 'http', host: host === '' ? DEFAULT_LISTENER_HOST : host, port };
}

/** The base URL of a bound listener (`http://127.0.0.1:8083`, `http://[::1]:8083`). */
export function listenerUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

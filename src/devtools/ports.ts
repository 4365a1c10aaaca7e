/** Loopback ports for the development broker: free ephemeral ones, and a check that a requested one is free. */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { DevToolsError } from './dev-errors.js';
import { InternalError } from '../diag/internal-error.js';

const HOST = '127.0.0.1';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: HOST, port, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Resolves each requested port: 0 becomes a free ephemeral port (all distinct), any other value is checked to be
 * free on 127.0.0.1. Throws PIPECTL_DEV_PORT_IN_USE naming `labels[i]`. The ports are released again before this
 * resolves, so another process could take one in between; the broker then fails to bind and says so.
 */
export async function reservePorts(requested: readonly number[], labels: readonly string[]): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (const [i, port] of requested.entries()) {
      try {
        servers.push(await listen(port));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new DevToolsError('PIPECTL_DEV_PORT_IN_USE', `${labels[i] ?? 'port'} ${HOST}:${port} is already in use (choose another port, or 0 for a free one)`);
        }
        throw e;
      }
    }
    return servers.map((s) => {
      const address = s.address();
      if (address === null || typeof address === 'string') throw new InternalError('unexpected server address'); // a TCP server listening on HOST has an AddressInfo
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** A loopback port held by this process (to make a start fail on it), or a port known to have nothing listening. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Listens on a free 127.0.0.1 port until `close()`. */
export async function holdPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port that was free a moment ago and has nothing listening now. */
export async function closedPort(): Promise<number> {
  const held = await holdPort();
  await held.close();
  return held.port;
}

/**
 * A TCP proxy in front of a real server that a test can close and open: closing it cuts every connection through it
 * and refuses new ones (the server "goes away" for its clients) without touching the server itself, which other tests
 * share. Bytes pass through unchanged.
 */
import net from 'node:net';

export interface TcpGate {
  port: number;
  /** Cuts every open connection; new ones are closed as soon as they are accepted, until open(). */
  close(): void;
  open(): void;
  /** Connections accepted while open, since the start. */
  connections(): number;
  stop(): Promise<void>;
}

export async function startTcpGate(targetHost: string, targetPort: number): Promise<TcpGate> {
  let isOpen = true;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!isOpen) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => {
      isOpen = false;
      for (const s of sockets) s.destroy();
    },
    open: () => {
      isOpen = true;
    },
    connections: () => accepted,
    stop: async () => {
      isOpen = false;
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

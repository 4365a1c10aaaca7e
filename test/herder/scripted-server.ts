/**
 * A tiny node:http server whose answers a test scripts request by request, for the edges a real worker does not
 * produce on demand (a rebalance 409, a 503 while starting, a reset connection, an old Connect without `expand`).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer: a status with a JSON body (or raw text), `destroy` to drop the connection, `hang` to never answer. */
export type Answer = { status: number; json?: unknown; text?: string } | { destroy: true } | { hang: true };

export interface ScriptedServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server on an ephemeral loopback port; `answer` sees each request (and its index) and scripts the reply. */
export async function startScriptedServer(answer: (req: SeenRequest, index: number) => Answer): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(seen);
      const a = answer(seen, requests.length - 1);
      if ('destroy' in a) {
        req.socket.destroy();
        return;
      }
      if ('hang' in a) return;
      const payload = a.json !== undefined ? JSON.stringify(a.json) : (a.text ?? '');
      res.writeHead(a.status, { 'content-type': a.json !== undefined ? 'application/json' : 'text/html' });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

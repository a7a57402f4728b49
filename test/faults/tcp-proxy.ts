/**
 * A TCP proxy in front of PostgreSQL that a test can take down and bring back: what the service
 * sees when its database server stops, restarts or fails over (connections reset, then refused),
 * without touching the PostgreSQL the other test files share.
 */
import { createServer, connect } from "node:net";
import type { Server, Socket } from "node:net";

export interface TcpProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url: string;
  /** Resets every connection and refuses new ones. */
  down(): Promise<void>;
  /** Accepts connections again, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const onConnection = (client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  };
  let server: Server = createServer(onConnection);
  const listen = (port: number) => new Promise<void>((r, j) => { server.once("error", j); server.listen(port, "127.0.0.1", () => r()); });
  await listen(0);
  const port = (server.address() as { port: number }).port;
  const url = new URL(targetUrl);
  url.host = `127.0.0.1:${port}`;
  const down = async () => {
    for (const s of sockets) s.resetAndDestroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return {
    url: url.toString(),
    down,
    async up() {
      server = createServer(onConnection);
      await listen(port);
    },
    async close() {
      if (server.listening) await down();
    },
  };
}

/**
 * The Node binding: one small file. `createNodeHandler` turns any `fetch(request, env)` handler into
 * a `(req, res)` listener for `http.createServer` (or Express's `app.use`); the socket's address
 * reaches the app for rate limits.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";

/** A Web-standard handler as `createGatehouse` returns it. */
export type FetchHandler = (request: Request, env?: { incoming?: IncomingMessage }) => Promise<Response>;

/**
 * A Node request listener for a fetch handler.
 *
 * @example
 * http.createServer(createNodeHandler(gatehouse.fetch)).listen(3000);
 */
export function createNodeHandler(fetch: FetchHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return getRequestListener((request, env) => fetch(request, { incoming: env.incoming as IncomingMessage }));
}

/**
 * Listens on `host:port` (port 0: any free port) and resolves with the server and its URL.
 *
 * @example
 * const { server, url } = await listen(createNodeHandler(gatehouse.fetch), { port: 3000 });
 */
export function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  options: { port: number; host?: string },
): Promise<{ server: Server; url: string }> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => void listener(req, res));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://${host.includes(":") ? `[${host}]` : host}:${port}` });
    });
  });
}

/**
 * `gatehouse/node`: Gatehouse as a Node request handler for `node:http`, Express (`app.use`) or
 * any connect-style host. It answers only the requests it owns (its routes, under its public
 * URL's path); every other request goes to `next()` untouched, its body unread.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gatehouse } from "../server/gatehouse.js";
import { createNodeHandler } from "../server/node.js";

/** A Node request as hosts hand it over; Express adds `originalUrl` when mounted under a path. */
export type NodeRequest = IncomingMessage & { originalUrl?: string };

/** `(req, res, next?)`: without `next` (plain `node:http`), Gatehouse answers everything (404 for what it does not own). */
export type NodeHandler = (req: NodeRequest, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** The path (without query) of a request as the browser sent it. */
export function requestPath(req: NodeRequest): string {
  const url = req.originalUrl ?? req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * A Node handler for Gatehouse.
 *
 * @example
 * const gatehouse = await createGatehouse(config);
 * const app = express();
 * app.use(toNodeHandler(gatehouse)); // /login, /auth/*, /api/users/*, /account... ; the rest is yours
 * app.get("/hello", requireUser(gatehouse), (req, res) => res.send(`hello ${req.user.username}`));
 */
export function toNodeHandler(gatehouse: Gatehouse): NodeHandler {
  const listener = createNodeHandler(gatehouse.fetch);
  return (req, res, next) => {
    if (next !== undefined && !gatehouse.owns(req.method ?? "GET", requestPath(req))) {
      next();
      return;
    }
    // A host that strips its mount path (Express's `app.use(path, ...)`) keeps the full one here.
    if (req.originalUrl !== undefined) req.url = req.originalUrl;
    listener(req, res).catch((err: unknown) => (next ? next(err) : res.destroy(err instanceof Error ? err : undefined)));
  };
}

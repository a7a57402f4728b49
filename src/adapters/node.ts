/**
 * `gatehouse/node`: Gatehouse as a Node request handler for `node:http`, Express (`app.use`) or
 * any connect-style host, and `requireUser`, the connect-style guard. It answers only the requests it owns (its routes, under its public
 * URL's path); every other request goes to `next()` untouched, its body unread.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gatehouse } from "../server/gatehouse.js";
import { asGatehouseUser, guardDecision } from "../server/guard.js";
import type { AccessRule, GuardOptions } from "../server/guard.js";
import { createNodeHandler } from "../server/node.js";
import type { SessionInfo, User } from "../users/index.js";

export type { AccessRule, GuardOptions } from "../server/guard.js";

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

/** A request after the guard: type your handler's `req` with it (`U`: what `load` returns). */
export interface GuardedRequest<U = User> {
  user: U;
  gatehouseSession: SessionInfo;
}

/** The guard as Express or `node:http` calls it (`next` when allowed); it sets `req.user` (a `U`) and `req.gatehouseSession`. */
// `U` only names what the guard puts on the request: it reads no user field, so any request fits.
export type ExpressGuard<U> = ((
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void) & { readonly sets?: GuardedRequest<U> };

/**
 * Connect-style middleware (Express, or `node:http` by hand): passes signed-in users the rule allows; otherwise a redirect to sign in
 * (page requests), 401 problem+json (API requests) or 403.
 *
 * @example
 * app.get("/admin", requireUser(gatehouse, { role: "admin" }), (req, res) => res.json({ hello: req.user.username }));
 * app.get("/plan", requireUser(gatehouse, { load: async (user) => ({ ...user, plan: await plans.of(user.id) }) }), handler);
 */
export function requireUser(gatehouse: Gatehouse, rule?: AccessRule): ExpressGuard<User>;
export function requireUser<U>(gatehouse: Gatehouse, rule: GuardOptions<U> & { load: NonNullable<GuardOptions<U>["load"]> }): ExpressGuard<U>;
export function requireUser(gatehouse: Gatehouse, rule: GuardOptions<unknown> = {}): ExpressGuard<unknown> {
  const load = rule.load ?? asGatehouseUser;
  return (req, res, next) => {
    const method = req.method ?? "GET";
    guardDecision(gatehouse, req, method, req.headers.accept, req.originalUrl ?? req.url ?? "/", rule, load).then((d) => {
      switch (d.kind) {
        case "allow":
          Object.assign(req, { user: d.user, gatehouseSession: d.session } satisfies GuardedRequest<unknown>);
          next();
          return;
        case "redirect":
          res.writeHead(303, { location: d.location, "cache-control": "no-store" }).end();
          return;
        case "problem":
          res.writeHead(d.status, { "content-type": "application/problem+json", "cache-control": "no-store" }).end(JSON.stringify(d.body));
      }
    }, next);
  };
}

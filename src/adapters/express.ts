/**
 * `gatehouse/express`: `requireUser(gatehouse, rule)` for Express 5 routes; sets `req.user` and
 * `req.gatehouseSession`. Typed structurally: no dependency on Express's own types.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gatehouse } from "../server/gatehouse.js";
import { asGatehouseUser, guardDecision } from "../server/guard.js";
import type { AccessRule, GuardOptions } from "../server/guard.js";
import type { SessionInfo, User } from "../users/index.js";

export { toNodeHandler } from "./node.js";
export type { GuardOptions } from "../server/guard.js";

/** An Express request after the guard: type your handler's `req` with it (`U`: what `load` returns). */
export interface GuardedRequest<U = User> {
  user: U;
  gatehouseSession: SessionInfo;
}

/** The guard as Express calls it; it sets `req.user` (a `U`) and `req.gatehouseSession`. */
// `U` only names what the guard puts on the request: it reads no user field, so any request fits.
export type ExpressGuard<U> = ((
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void) & { readonly sets?: GuardedRequest<U> };

/**
 * Express middleware: passes signed-in users the rule allows; otherwise a redirect to sign in
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

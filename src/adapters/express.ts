/**
 * `gatehouse/express`: `requireUser(gatehouse, rule)` for Express 5 routes; sets `req.user` and
 * `req.session`. Typed structurally: no dependency on Express's own types.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gatehouse } from "../server/gatehouse.js";
import { guardDecision } from "../server/guard.js";
import type { GuardOptions } from "../server/guard.js";
import type { SessionInfo, User } from "../users/index.js";

export { toNodeHandler } from "./node.js";
export type { GuardOptions } from "../server/guard.js";

/** An Express request after the guard: `req.user` and `req.gatehouseSession` are set. */
export interface GuardedRequest {
  user: User;
  gatehouseSession: SessionInfo;
}

/**
 * Express middleware: passes signed-in users the rule allows; otherwise a redirect to sign in
 * (page requests), 401 problem+json (API requests) or 403.
 *
 * @example
 * app.get("/admin", requireUser(gatehouse, { role: "admin" }), (req, res) => res.json({ hello: req.user.username }));
 */
export function requireUser(gatehouse: Gatehouse, rule: GuardOptions = {}) {
  return (req: IncomingMessage & { originalUrl?: string; user?: User; gatehouseSession?: SessionInfo }, res: ServerResponse, next: (err?: unknown) => void): void => {
    const method = req.method ?? "GET";
    guardDecision(gatehouse, req, method, req.headers.accept, req.originalUrl ?? req.url ?? "/", rule).then((d) => {
      switch (d.kind) {
        case "allow":
          req.user = d.auth.user;
          req.gatehouseSession = d.auth.session;
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

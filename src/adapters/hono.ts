/**
 * `gatehouse/hono`: Gatehouse inside a Hono app (`app.use(gatehouseRoutes(gatehouse))`) and
 * `requireUser(gatehouse, rule)`, which sets `c.var.user` and `c.var.gatehouseSession`.
 */
import { IncomingMessage } from "node:http";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { Gatehouse } from "../server/gatehouse.js";
import { asGatehouseUser, guardDecision } from "../server/guard.js";
import type { AccessRule, GuardOptions } from "../server/guard.js";
import type { SessionInfo, User } from "../users/index.js";

export type { GuardOptions } from "../server/guard.js";

/** The variables `requireUser` sets (`U`: what `load` returns); a route after the guard sees them typed. */
export interface GatehouseEnv<U = User> {
  Variables: { user: U; gatehouseSession: SessionInfo };
}

/**
 * Answers the requests Gatehouse owns and passes the rest on. Put it first.
 *
 * @example
 * const app = new Hono<GatehouseEnv>();
 * app.use(gatehouseRoutes(gatehouse));
 */
export function gatehouseRoutes(gatehouse: Gatehouse): MiddlewareHandler {
  return async (c, next) => {
    if (!gatehouse.owns(c.req.method, c.req.path)) return next();
    // The Node request, when there is one, gives the client's address for rate limits.
    const env: unknown = c.env;
    const incoming = typeof env === "object" && env !== null && "incoming" in env && env.incoming instanceof IncomingMessage ? env.incoming : undefined;
    return gatehouse.fetch(c.req.raw, incoming === undefined ? {} : { incoming });
  };
}

/**
 * Hono middleware: passes signed-in users the rule allows; otherwise a redirect to sign in (page
 * requests), 401 problem+json (API requests) or 403.
 *
 * @example
 * app.get("/me", requireUser(gatehouse), (c) => c.json({ username: c.var.user.username }));
 * app.get("/plan", requireUser(gatehouse, { load: (user) => ({ ...user, plan: "pro" }) }), (c) => c.text(c.var.user.plan));
 */
export function requireUser(gatehouse: Gatehouse, rule?: AccessRule): MiddlewareHandler<GatehouseEnv>;
export function requireUser<U>(gatehouse: Gatehouse, rule: GuardOptions<U> & { load: NonNullable<GuardOptions<U>["load"]> }): MiddlewareHandler<GatehouseEnv<U>>;
export function requireUser<U>(gatehouse: Gatehouse, rule: GuardOptions<U> = {}): MiddlewareHandler<GatehouseEnv<U>> | MiddlewareHandler<GatehouseEnv> {
  return rule.load ? guard(gatehouse, rule, rule.load) : guard(gatehouse, rule, asGatehouseUser);
}

function guard<U>(gatehouse: Gatehouse, rule: AccessRule, load: (user: User, session: SessionInfo) => U | Promise<U>): MiddlewareHandler<GatehouseEnv<U>> {
  return createMiddleware<GatehouseEnv<U>>(async (c, next) => {
    const url = new URL(c.req.url);
    const d = await guardDecision(gatehouse, c.req.raw, c.req.method, c.req.header("accept"), `${url.pathname}${url.search}`, rule, load);
    switch (d.kind) {
      case "allow":
        c.set("user", d.user);
        c.set("gatehouseSession", d.session);
        await next();
        return;
      case "redirect":
        c.header("cache-control", "no-store");
        return c.redirect(d.location, 303);
      case "problem":
        return c.body(JSON.stringify(d.body), d.status as 401 | 403, { "content-type": "application/problem+json", "cache-control": "no-store" });
    }
  });
}

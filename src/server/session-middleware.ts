/**
 * Puts the signed-in user on the context: `Authorization: Bearer TOKEN` (API clients) or the
 * session cookie (browsers). `requireUser` / `requireAdmin` guard routes.
 */
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, RequestAuth, ServerDeps } from "./env.js";
import { bearerFrom, sessionToken } from "./request-auth.js";
import { UsersError } from "../users/index.js";
import { bindings, requestHeader } from "./request-header.js";

/** The bearer token of the request, if it sent one. */
export function bearerToken(c: Context<AppEnv>): string | undefined {
  return bearerFrom(requestHeader(c, "authorization"));
}

/** Reads the session of every request (one indexed query when a token is present, none otherwise). */
export function sessionMiddleware(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    // Node's own parsed headers when there are some: asking the Request would build a Headers copy.
    const presented = sessionToken(bindings(c)?.incoming?.headers ?? c.req.raw.headers);
    let auth: RequestAuth | undefined;
    if (presented !== undefined) {
      const found = await deps.users.authenticate(presented.token);
      if (found) auth = { ...found, ...presented };
    }
    c.set("auth", auth);
    await next();
  });
}

/**
 * The signed-in user, or a 401 problem.
 *
 * @example
 * app.get("/api/users/me", (c) => c.json(userJson(requireUser(c).user)));
 */
export function requireUser(c: Context<AppEnv>): RequestAuth {
  const auth = c.get("auth");
  if (!auth) throw new UsersError("unauthenticated", "sign in first (session cookie or Authorization: Bearer)");
  return auth;
}

/** The signed-in admin, or 401 / 403. */
export function requireAdmin(c: Context<AppEnv>): RequestAuth {
  const auth = requireUser(c);
  if (auth.user.role !== "admin") throw new UsersError("forbidden", "this needs an admin");
  return auth;
}

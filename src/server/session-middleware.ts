/**
 * Puts the signed-in user on the context: `Authorization: Bearer TOKEN` (API clients) or the
 * session cookie (browsers). `requireUser` / `requireAdmin` guard routes.
 */
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, RequestAuth, ServerDeps } from "./env.js";
import { readCookie, SESSION_COOKIE } from "./cookies.js";
import { UsersError } from "../users/index.js";
import { requestHeader } from "./request-header.js";

/** The bearer token of the request, if it sent one. */
export function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = requestHeader(c, "authorization");
  if (header === undefined) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return m?.[1];
}

/** Reads the session of every request (one indexed query when a token is present, none otherwise). */
export function sessionMiddleware(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const bearer = bearerToken(c);
    const token = bearer ?? readCookie(c, SESSION_COOKIE);
    let auth: RequestAuth | undefined;
    if (token !== undefined) {
      const found = await deps.users.authenticate(token);
      if (found) auth = { ...found, via: bearer !== undefined ? "bearer" : "cookie", token };
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

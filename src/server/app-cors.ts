/**
 * CORS for the front ends of `GATEHOUSE_APP_ORIGINS` on `/api/*`: credentials allowed, so the
 * origin is echoed exactly — and only for a listed origin. Any other origin gets no CORS header at
 * all (Hono's `cors` would still add `Allow-Credentials`), so its browser withholds every answer.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.js";

/** Headers a front end may send: JSON bodies and Bearer tokens. */
const ALLOW_HEADERS = ["content-type", "authorization"];
const ALLOW_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/** `extraHeaders`: more request headers a front end sends (a compatibility mode's own spelling of the token header). */
export function appCors(appOrigins: readonly string[], extraHeaders: readonly string[] = []): MiddlewareHandler<AppEnv> {
  const listed = new Set(appOrigins);
  const allow = cors({
    origin: (origin) => (listed.has(origin) ? origin : null),
    credentials: true,
    allowHeaders: [...ALLOW_HEADERS, ...extraHeaders],
    allowMethods: ALLOW_METHODS,
    maxAge: 600,
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header("origin");
    if (origin !== undefined && listed.has(origin)) return allow(c, next);
    // The answer depends on Origin for every caller (`cors` says so for listed ones): caches must key on it.
    c.header("vary", "Origin", { append: true });
    return next();
  });
}

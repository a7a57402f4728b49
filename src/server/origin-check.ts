/**
 * CSRF defence for state-changing requests that ride on cookies: the request's Origin must be the
 * service's own, or one of the front ends listed in `GATEHOUSE_APP_ORIGINS`. Bearer-token requests carry no ambient credentials and are exempt; requests with
 * no cookie at all (curl, CLI) have nothing to forge. A cookie request with no Origin is judged by
 * `Sec-Fetch-Site`, else refused.
 */
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.js";
import { OAUTH_COOKIE, readCookie, SESSION_COOKIE } from "./cookies.js";
import { bearerToken } from "./session-middleware.js";
import { problem } from "./problem.js";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function originCheck(publicUrl: URL, appOrigins: readonly string[] = []): MiddlewareHandler<AppEnv> {
  const allowed = new Set([publicUrl.origin, ...appOrigins]);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    const usesCookies = bearerToken(c) === undefined &&
      (readCookie(c, SESSION_COOKIE) !== undefined || readCookie(c, OAUTH_COOKIE) !== undefined);
    if (origin !== undefined && origin !== "null") {
      if (!allowed.has(origin)) return problem(c, "origin_mismatch", `requests from ${origin} are not allowed`);
      return next();
    }
    if (usesCookies) {
      const site = c.req.header("sec-fetch-site");
      if (site !== "same-origin") {
        return problem(c, "origin_mismatch", "a cookie-authenticated request must come from this site (Origin header)");
      }
    } else if (origin === "null") {
      return problem(c, "origin_mismatch", "requests from an opaque origin are not allowed");
    }
    return next();
  });
}

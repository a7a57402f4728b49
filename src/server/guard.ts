/**
 * The one decision behind every host-app guard (Express, Hono, Fastify): authenticate, apply the
 * rule, and say what to answer. Adapters only translate it to their framework.
 */
import { UsersError } from "../users/index.js";
import type { SessionInfo, User } from "../users/index.js";
import { checkAccess } from "./access.js";
import type { AccessRule } from "./access.js";

export type { AccessRule } from "./access.js";
import type { Gatehouse } from "./gatehouse.js";
import { loginUrl } from "./login-url.js";
import { problemBody } from "./problem.js";
import type { AnyRequest } from "./request-auth.js";

/**
 * Options of `requireUser`: who may pass (see {@link AccessRule}), and optionally `load`, which
 * turns the admitted user into the app's own user type (its own fields added from its own
 * tables); the guard then hands out what `load` returns, typed as such.
 */
export interface GuardOptions<U = User> extends AccessRule {
  load?: ((user: User, session: SessionInfo) => U | Promise<U>) | undefined;
}

/** What a guard answers. */
export type GuardDecision<U = User> =
  | { kind: "allow"; user: U; session: SessionInfo }
  | { kind: "redirect"; location: string }
  | { kind: "problem"; status: number; body: Record<string, unknown> };

/** The default `load`: the user as Gatehouse knows it. */
export const asGatehouseUser = (user: User): User => user;

/**
 * Whether a request is a page load (a browser navigating) rather than an API call: it accepts
 * HTML. An API client (`fetch`, curl) gets a 401 it can act on instead of a sign-in page.
 */
export function wantsPage(method: string, accept: string | undefined): boolean {
  return (method === "GET" || method === "HEAD") && accept !== undefined && /\btext\/html\b/i.test(accept);
}

/**
 * Decides for one request. `path` is the path and query the browser asked for (the `return_to`).
 *
 * @example
 * const d = await guardDecision(gatehouse, req, req.method, req.headers.accept, req.originalUrl, { role: "admin" }, (user) => user);
 */
export async function guardDecision<U>(
  gatehouse: Gatehouse,
  request: AnyRequest,
  method: string,
  accept: string | undefined,
  path: string,
  rule: AccessRule,
  load: (user: User, session: SessionInfo) => U | Promise<U>,
): Promise<GuardDecision<U>> {
  let result: Awaited<ReturnType<typeof checkAccess>>;
  try {
    result = await checkAccess(gatehouse.users, await gatehouse.authenticate(request), rule);
  } catch (err) {
    // GitHub down while checking an org or team: its own status (502/503/429), not a 500 or a 403.
    if (err instanceof UsersError) return { kind: "problem", ...problemBody(err.code, err.message) };
    throw err;
  }
  switch (result.outcome) {
    case "allowed":
      return { kind: "allow", user: await load(result.auth.user, result.auth.session), session: result.auth.session };
    case "unauthenticated":
      if (wantsPage(method, accept)) return { kind: "redirect", location: loginUrl(gatehouse.publicUrl, path.startsWith("/") && !path.startsWith("//") ? path : "/") };
      return { kind: "problem", ...problemBody("unauthenticated", "sign in first (session cookie or Authorization: Bearer)") };
    case "forbidden":
      return { kind: "problem", ...problemBody("forbidden", "you are signed in but not allowed here") };
  }
}

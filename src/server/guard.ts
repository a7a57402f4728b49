/**
 * The one decision behind every host-app guard (Express, Hono, Fastify): authenticate, apply the
 * rule, and say what to answer. Adapters only translate it to their framework.
 */
import type { Authenticated } from "../users/index.js";
import { checkAccess } from "./access.js";
import type { AccessRule } from "./access.js";
import type { Gatehouse } from "./gatehouse.js";
import { loginUrl } from "./login-url.js";
import { problemBody } from "./problem.js";
import type { AnyRequest } from "./request-auth.js";

/** Options of `requireUser`: who may pass (see {@link AccessRule}). */
export type GuardOptions = AccessRule;

/** What a guard answers. */
export type GuardDecision =
  | { kind: "allow"; auth: Authenticated }
  | { kind: "redirect"; location: string }
  | { kind: "problem"; status: number; body: Record<string, unknown> };

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
 * const d = await guardDecision(gatehouse, req, req.method, req.headers.accept, req.originalUrl, { role: "admin" });
 */
export async function guardDecision(
  gatehouse: Gatehouse,
  request: AnyRequest,
  method: string,
  accept: string | undefined,
  path: string,
  rule: GuardOptions = {},
): Promise<GuardDecision> {
  const result = await checkAccess(gatehouse.users, await gatehouse.authenticate(request), rule);
  switch (result.outcome) {
    case "allowed":
      return { kind: "allow", auth: result.auth };
    case "unauthenticated":
      if (wantsPage(method, accept)) return { kind: "redirect", location: loginUrl(gatehouse.publicUrl, path.startsWith("/") && !path.startsWith("//") ? path : "/") };
      return { kind: "problem", ...problemBody("unauthenticated", "sign in first (session cookie or Authorization: Bearer)") };
    case "forbidden":
      return { kind: "problem", ...problemBody("forbidden", "you are signed in but not allowed here") };
  }
}

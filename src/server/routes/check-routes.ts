/**
 * `GET /auth/check`: forward authentication for reverse proxies (nginx `auth_request`, Caddy
 * `forward_auth`, Traefik `ForwardAuth`). 200 with the user in `X-Gatehouse-*` headers, 401 when
 * not signed in, 403 when signed in but not allowed by `role=`, `org=`, `team=`. Every answer
 * names where to sign in (`X-Gatehouse-Login`), built from the proxied request's
 * `X-Forwarded-*` headers, so the proxy can send the browser there.
 */
import type { Context, Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";
import { checkAccess } from "../access.js";
import type { AccessRule } from "../access.js";
import { problem } from "../problem.js";
import { checkReturnTo, parseTeam, UsersError } from "../../users/index.js";
import type { User } from "../../users/index.js";
import { loginUrl } from "../login-url.js";

/** The headers a proxy copies to its upstream; it must set (or clear) each one itself so a client cannot forge them. */
export const USER_HEADERS = ["X-Gatehouse-User", "X-Gatehouse-User-Id", "X-Gatehouse-Email", "X-Gatehouse-Role", "X-Gatehouse-GitHub-Login"] as const;

/** Bounds on what a query may ask for: a rule is a handful of names, not a list to iterate. */
const MAX_NAMES = 20;
const ORG = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;

/** `org=a&org=b` and `org=a,b` alike. */
function list(values: string[] | undefined, field: string): string[] {
  const items = (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  if (items.length > MAX_NAMES) throw new UsersError("invalid_input", `at most ${MAX_NAMES} values of ${field}`, { field });
  return items;
}

function ruleOf(c: Context<AppEnv>): AccessRule {
  const role = c.req.query("role");
  if (role !== undefined && role !== "admin" && role !== "user") {
    throw new UsersError("invalid_input", "role must be admin or user", { field: "role" });
  }
  const orgs = list(c.req.queries("org"), "org");
  for (const org of orgs) if (!ORG.test(org)) throw new UsersError("invalid_input", `org ${JSON.stringify(org)} is not an organisation login`, { field: "org" });
  const teams = list(c.req.queries("team"), "team");
  teams.forEach(parseTeam);
  return { role, orgs, teams };
}

/**
 * A header value safe to pass on: printable ASCII only (anything else percent-encoded), so no
 * CR/LF can split a header and no byte a proxy would reject gets through.
 */
export function headerValue(value: string): string {
  return value.replace(/[^\x20-\x7e]|%/g, (ch) => encodeURIComponent(ch));
}

function userHeaders(user: User): Record<(typeof USER_HEADERS)[number], string> {
  return {
    "X-Gatehouse-User": headerValue(user.username),
    "X-Gatehouse-User-Id": String(user.id),
    "X-Gatehouse-Email": headerValue(user.email ?? ""),
    "X-Gatehouse-Role": user.role,
    "X-Gatehouse-GitHub-Login": headerValue(user.github?.login ?? ""),
  };
}

/**
 * Where the browser was going, from the proxy's `X-Forwarded-*` headers: an absolute URL when its
 * host is one of `returnToHosts`, else the path alone (a path on this site, as `return_to` always is).
 */
function forwardedReturnTo(c: Context<AppEnv>, deps: ServerDeps): string | undefined {
  const uri = c.req.header("x-forwarded-uri");
  if (uri === undefined || uri === "") return undefined;
  const host = c.req.header("x-forwarded-host");
  const proto = c.req.header("x-forwarded-proto") === "https" ? "https" : "http";
  const candidates = host !== undefined && deps.returnToHosts.length > 0 ? [`${proto}://${host}${uri}`, uri] : [uri];
  for (const candidate of candidates) {
    try {
      return checkReturnTo(candidate, deps.publicUrl, deps.returnToHosts);
    } catch {
      // Not allowed as it came: try the next, narrower form.
    }
  }
  return undefined;
}

export function checkRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/auth/check", async (c) => {
    // A proxy may cache nothing of this: the answer is per session and per moment.
    c.header("cache-control", "no-store");
    const rule = ruleOf(c);
    const method = c.req.header("x-forwarded-method");
    const returnTo = method === undefined || method === "GET" || method === "HEAD" ? forwardedReturnTo(c, deps) : undefined;
    c.header("X-Gatehouse-Login", loginUrl(deps.publicUrl, returnTo));
    const auth = c.get("auth");
    const result = await checkAccess(deps.users, auth ? { user: auth.user, session: auth.session, identities: auth.identities } : null, rule);
    if (result.outcome === "unauthenticated") return problem(c, "unauthenticated", "sign in first");
    if (result.outcome === "forbidden") return problem(c, "forbidden", "you are signed in but not allowed here");
    for (const [name, value] of Object.entries(userHeaders(result.auth.user))) c.header(name, value);
    return c.body(null, 200);
  });
}

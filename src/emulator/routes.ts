/** The emulator's endpoints by name (`"METHOD /path"`), for fault injection and the request log. */
import { EmulatorError } from "./errors.js";
import type { EmulatorRoute } from "./types.js";

interface RouteDef {
  route: EmulatorRoute;
  method: string;
  pattern: RegExp;
  /** api.github.com paths are served at the root and again under `/api/v3` (GHES layout). */
  api: boolean;
}

/** Every endpoint the emulator serves (the conformance test and docs/emulator-coverage.md list them all). */
export const ROUTES: readonly EmulatorRoute[] = [
  "GET /login/oauth/authorize",
  "POST /login/oauth/access_token",
  "POST /login/device/code",
  "GET /login/device",
  "GET /user",
  "GET /user/emails",
  "GET /user/orgs",
  "GET /user/memberships/orgs/{org}",
  "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
  "POST /applications/{client_id}/token",
  "PATCH /applications/{client_id}/token",
  "DELETE /applications/{client_id}/token",
  "DELETE /applications/{client_id}/grant",
];

/** Path prefix of the API on GitHub Enterprise Server. */
export const GHES_API_PREFIX = "/api/v3";

const DEFS: readonly RouteDef[] = ROUTES.map((route) => {
  const [method = "", path = ""] = route.split(" ");
  const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[a-z_]+\}/g, "[^/]+");
  return { route, method, pattern: new RegExp(`^${source}$`), api: !path.startsWith("/login/") };
});

/** The route a request hits, or null. */
export function matchRoute(method: string, path: string): EmulatorRoute | null {
  const apiPath = path.startsWith(`${GHES_API_PREFIX}/`) ? path.slice(GHES_API_PREFIX.length) : null;
  for (const def of DEFS) {
    if (def.method !== method) continue;
    if (def.pattern.test(path) || (def.api && apiPath !== null && def.pattern.test(apiPath))) return def.route;
  }
  return null;
}

/** Whether a route is one of api.github.com's (User-Agent required, rate-limit headers). */
export function isApiRoute(route: EmulatorRoute): boolean {
  return DEFS.some((d) => d.route === route && d.api);
}

/** Checks a route name from outside (the control API), or throws `unknown_route`. */
export function requireRoute(value: string): EmulatorRoute {
  const found = ROUTES.find((r) => r === value);
  if (!found) throw new EmulatorError("unknown_route", `unknown route '${value}'; one of: ${ROUTES.join(", ")}`);
  return found;
}

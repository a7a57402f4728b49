/** The Hono environment of the app: what the Node binding passes in, and per-request variables. */
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { Authenticated, Users } from "../users/index.js";
import type { DatabaseHealth } from "./database-health.js";

/**
 * What a host passes as the second argument of `fetch(request, env)`. `@hono/node-server` passes
 * `{ incoming, outgoing }`; other hosts may pass `{ clientAddress }` themselves.
 */
export interface ServerBindings {
  /** The Node message the Request was made from: its address, and its headers (read from it, not copied). */
  incoming?: IncomingMessage;
  clientAddress?: string;
}

/** How the current request proved who it is. */
export type AuthVia = "cookie" | "bearer";

/** The signed-in user of a request, as set by the session middleware. */
export interface RequestAuth extends Authenticated {
  via: AuthVia;
  /** The raw session token of this request (to sign out); never log it. */
  token: string;
}

/** Per-request variables: `c.get("auth")`, `c.get("reqId")`... (a route logs through `requestLog(c)`). */
export interface ServerVariables {
  /** Set when the request carries a valid session (cookie or Bearer). */
  auth: RequestAuth | undefined;
  /** The service's logger; `requestLog(c)` binds it to the request. */
  logger: Logger | undefined;
  /** This request's id, on its log lines. */
  reqId: string;
  /** The client's address for rate limits (see `trustProxy`). */
  clientAddress: string | undefined;
}

/** The app's Hono environment. */
export interface AppEnv {
  /** May be absent at run time when a host calls `fetch(request)` alone: read with `?.`. */
  Bindings: ServerBindings;
  Variables: ServerVariables;
}

/** What routes are given. */
export interface ServerDeps {
  users: Users;
  /** Public base URL; its origin is the only one allowed to POST with a cookie session. */
  publicUrl: URL;
  /** The public URL's path (`""` at the root): the app's routes are under it as the browser sees them. */
  basePath: string;
  /** The redirect URI the service registers with GitHub: its own callback, or a front end's route. */
  redirectUri: string;
  /** Front ends on other origins (`GATEHOUSE_APP_ORIGINS`): CORS with credentials and the Origin check admit them. */
  appOrigins: readonly string[];
  /** SameSite of the cookies: `None` only for a cross-site front end over https (see app-origins.ts). */
  cookieSameSite: "Lax" | "None";
  /** The database's write probe (for /healthz) and outage state (for 503 answers). */
  database: DatabaseHealth;
  logger: Logger;
  /** Use `X-Forwarded-For` for the client address: `false` (default), or how many proxies to trust. */
  trustProxy: number;
  /** Session cookie lifetime, seconds. */
  sessionMaxAgeS: number;
  /** GitHub's web base (`https://github.com`, a GHES host, the emulator), for links to profiles. */
  githubWebUrl: string;
  /** Hosts an absolute `return_to` may point at (`GATEHOUSE_RETURN_TO_HOSTS`); empty: paths only. */
  returnToHosts: readonly string[];
  /** `GATEHOUSE_COMPAT`: `codx` speaks codx-junior's wire format on `/api/users*` (src/server/compat/codx.ts). */
  compat?: "codx" | undefined;
  /** The service's one clock, epoch ms (the domain's too): pages and cookies never read their own. */
  now: () => number;
}

/**
 * `createGatehouse(config)`: the users service as a library — a Web-standard `fetch` handler, the
 * domain (`users`) and `close()`. Mounts in any host that speaks Request/Response.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { GitHubOAuth } from "../github/index.js";
import type { GitHubOAuthOptions } from "../github/index.js";
import { createProvider } from "../providers/index.js";
import type { ProviderSettings } from "../providers/index.js";
import { DEFAULT_DATABASE_URL, openStore } from "../store/index.js";
import type { Store } from "../store/index.js";
import { fromGitHubOAuth, githubCallbackUrl, Users } from "../users/index.js";
import type {
  Authenticated, GitHubPort, LoginLimits, ScryptParams, SessionOptions, SignInPolicy, SignInProvider, UserFieldDefinition,
} from "../users/index.js";
import { createApp } from "./app.js";
import { createLogger } from "./logger.js";
import { nodeFetch } from "./node-fetch.js";
import type { NodeFetch } from "./node-fetch.js";
import { DatabaseHealth } from "./database-health.js";
import { ownedPaths } from "./owned-paths.js";
import { basePathOf, innerPath, mountAt } from "./base-path.js";
import type { ServerBindings } from "./env.js";
import { problemBody } from "./problem.js";
import { authenticateRequest } from "./request-auth.js";
import type { AnyRequest } from "./request-auth.js";
import { decodeSecret } from "../users/index.js";
import { checkCallbackUrl, cookieSameSite, frontEndSettings } from "./app-origins.js";

const nodeSha256 = (data: Uint8Array): Uint8Array => createHash("sha256").update(data).digest();

/** GitHub app settings: passed to `GitHubOAuth` (client id and secret, host or explicit bases, fetch...). */
export type GitHubSettings = Omit<GitHubOAuthOptions, "redirectUri" | "scopes">;

/** Configuration of {@link createGatehouse}. Only `publicUrl`, `secret` and `github` are required. */
export interface GatehouseConfig {
  /** Where users reach the service, e.g. `https://auth.example.com`; the GitHub callback is `{publicUrl}/auth/github/callback`. */
  publicUrl: string | URL;
  /** `sqlite:PATH` (default `sqlite:./gatehouse.db`) or `postgres://...`; or an open `Store`, which `close()` then leaves open. */
  database?: string | Store;
  /** Key material for sealing GitHub tokens at rest: ≥ 32 bytes, or a string of them as hex or base64. */
  secret: string | Uint8Array;
  /**
   * The GitHub OAuth app, or an object implementing `GitHubPort` (then `webUrl`, GitHub's web base
   * for profile links, defaults to `https://github.com`).
   */
  github: GitHubSettings | { port: GitHubPort; webUrl?: string };
  /** Scopes to request. Default `read:user user:email` (+ `read:org` when orgs/teams are required). */
  scopes?: string[];
  /** `open` (default) or `invite`, required orgs and teams, first-sign-in admins. */
  policy?: SignInPolicy;
  sessions?: SessionOptions;
  loginLimits?: LoginLimits;
  passwordParams?: ScryptParams;
  /**
   * Hosts (`host` or `host:port`) that `return_to` may name in an absolute URL: services behind the
   * same proxy as `/auth/check`. Default none: `return_to` is a path on this site.
   */
  returnToHosts?: readonly string[];
  /**
   * Where GitHub sends the browser back. Default `{publicUrl}/auth/github/callback` (Gatehouse's own
   * route). A front end's route (on the public origin or one of `appOrigins`), e.g.
   * `https://app.example.com/auth/github`, then finishes the sign-in with `POST /api/users/oauth-login`.
   */
  githubCallbackUrl?: string;
  /**
   * Front ends on other origins (`https://app.example.com`) allowed to call `/api/*` with
   * credentials: CORS, the Origin check, and `SameSite=None; Secure` cookies when cross-site over https.
   */
  appOrigins?: readonly string[];
  /**
   * App-defined user fields, e.g. `[{ name: "projects", type: "string[]", default: [], setBy: "self" }]`:
   * stored with each user, checked on every write, returned as `fields` (`GATEHOUSE_USER_FIELDS`).
   */
  userFields?: readonly UserFieldDefinition[];
  /**
   * `"codx"`: codx-junior's front end's wire format on `/api/users*` (flat user with its token,
   * `Authentication: Bearer`, session restore through `POST /api/users/login`, `GET /api/users` as
   * `{username, avatar}` for every signed-in user). Declare `projects` and `apps` in `userFields`.
   */
  compat?: "codx";
  /**
   * Generic sign-in providers (OpenID Connect / OAuth 2) besides GitHub, each signing in at
   * `/auth/{name}` with its callback at `{publicUrl}/auth/{name}/callback`, and linkable from the
   * account page: settings (as `GATEHOUSE_OAUTH_PROVIDERS` gives them, built with `createProvider`)
   * or ready providers. Default none.
   */
  providers?: readonly (ProviderSettings | SignInProvider)[];
  /** The `fetch` generic providers built from settings use (tests pass a wrapper). Default the global `fetch`. */
  providerFetch?: typeof fetch;
  /** Trust `X-Forwarded-For` from this many proxies (default 0: use the socket address). */
  trustProxy?: number;
  /** pino logger. Default: a redacting pino logger at `info` on stdout. */
  logger?: Logger;
  /** How often expired sessions, transactions and device logins are purged. Default 10 minutes. */
  purgeIntervalMs?: number;
  /** The one clock of the service, epoch ms (domain, pages, cookies, GitHub client). Default `Date.now`. */
  now?: () => number;
}

/** The running service. */
export interface Gatehouse {
  /** Web-standard handler; pass `{ incoming }` (Node) or `{ clientAddress }` as `env` when you can. */
  fetch(request: Request, env?: { incoming?: IncomingMessage; clientAddress?: string }): Promise<Response>;
  /**
   * The signed-in user and session of a request (Web `Request` or Node `IncomingMessage`), from
   * its `Authorization: Bearer` token or session cookie, or `null`. One indexed lookup.
   *
   * @example
   * const auth = await gatehouse.authenticate(req); // { user, session, identities } | null
   */
  authenticate(request: AnyRequest): Promise<Authenticated | null>;
  /** Whether Gatehouse answers `method path` (a path as the browser sent it); adapters pass everything else to the host app. */
  owns(method: string, path: string): boolean;
  /** Where users reach the service (`GatehouseConfig.publicUrl`). */
  publicUrl: URL;
  /** The domain API (the same the HTTP routes use). */
  users: Users;
  /** The store (for the CLI and tests). */
  store: Store;
  /** Stops the purge timer and closes the database (unless it was passed in open). */
  close(): Promise<void>;
}

/**
 * Opens the database (migrating it), wires the GitHub client, the domain and the HTTP app.
 *
 * @example
 * const gatehouse = await createGatehouse({
 *   publicUrl: "http://127.0.0.1:3000",
 *   secret: process.env.GATEHOUSE_SECRET!,
 *   github: { clientId: "Iv1.abc", clientSecret: process.env.GITHUB_SECRET },
 * });
 * http.createServer(createNodeHandler(gatehouse.fetch)).listen(3000);
 */
export async function createGatehouse(config: GatehouseConfig): Promise<Gatehouse> {
  const now = config.now ?? Date.now;
  const publicUrl = new URL(config.publicUrl);
  const frontEnds = frontEndSettings(publicUrl, config.appOrigins ?? [], config.githubCallbackUrl);
  const redirectUri = frontEnds.callbackUrl ?? githubCallbackUrl(publicUrl);
  // A provider's own front-end callback is held to the same rule as GitHub's, before anything opens.
  for (const p of config.providers ?? []) {
    const settings = "kind" in p ? p : p.settings;
    if (settings.callbackUrl !== undefined) checkCallbackUrl(publicUrl, frontEnds.appOrigins, settings.callbackUrl, `providers.${settings.name}.callbackUrl`);
  }
  const secret = typeof config.secret === "string" ? decodeSecret(config.secret) : config.secret;
  const logger = config.logger ?? createLogger();
  const ownsStore = typeof config.database !== "object";
  const store = typeof config.database === "object" ? config.database : await openStore(config.database ?? DEFAULT_DATABASE_URL);
  let github: GitHubPort;
  let githubWebUrl: string;
  let githubFetch: NodeFetch | undefined;
  if ("port" in config.github) {
    github = config.github.port;
    githubWebUrl = config.github.webUrl ?? "https://github.com";
  } else {
    // Node's http on kept connections unless the caller brings its own fetch (see node-fetch.ts).
    if (config.github.fetch === undefined) githubFetch = nodeFetch();
    // node:crypto's SHA-256 for the PKCE challenge unless the caller brings one: Web Crypto's is a
    // thread-pool job costing ~15 µs of CPU per sign-in where this costs ~2.
    const client = new GitHubOAuth({ now, sha256: nodeSha256, ...config.github, ...(githubFetch ? { fetch: githubFetch.fetch } : {}), redirectUri });
    github = fromGitHubOAuth(client);
    githubWebUrl = client.webUrl;
  }
  // Settings become providers here, on the service's clock and logger; ready providers pass through.
  const providers = (config.providers ?? []).map((p) =>
    "kind" in p ? createProvider(p, { now, log: logger, ...(config.providerFetch ? { fetch: config.providerFetch } : {}) }) : p);
  const users = new Users({
    store,
    github,
    providers,
    secret,
    publicUrl,
    redirectUri,
    log: logger,
    ...(config.scopes ? { scopes: config.scopes } : {}),
    ...(config.policy ? { policy: config.policy } : {}),
    ...(config.sessions ? { sessions: config.sessions } : {}),
    ...(config.loginLimits ? { loginLimits: config.loginLimits } : {}),
    ...(config.passwordParams ? { passwordParams: config.passwordParams } : {}),
    ...(config.returnToHosts ? { returnToHosts: config.returnToHosts } : {}),
    ...(config.userFields ? { userFields: config.userFields } : {}),
    now,
  });
  const database = new DatabaseHealth({ probe: (at) => store.probeWrite(at), logger, now });
  const basePath = basePathOf(publicUrl);
  const app = createApp({
    users,
    publicUrl,
    basePath,
    redirectUri,
    appOrigins: frontEnds.appOrigins,
    cookieSameSite: cookieSameSite(publicUrl, frontEnds.appOrigins),
    database,
    logger,
    trustProxy: config.trustProxy ?? 0,
    // From the domain, which owns the default: cookie and session end together.
    sessionMaxAgeS: Math.round(users.sessionMaxAgeMs / 1000),
    githubWebUrl,
    returnToHosts: config.returnToHosts ?? [],
    compat: config.compat,
    now,
  });
  const purge = () => {
    users.purgeExpired().catch((err: unknown) => logger.warn({ err }, "purging expired rows failed"));
  };
  const timer = setInterval(purge, config.purgeIntervalMs ?? 10 * 60_000);
  timer.unref();
  const owned = ownedPaths(app);
  // Outside the base path nothing is Gatehouse's: a host app that passes such a request anyway gets a 404.
  const mounted = mountAt(basePath, async (request: Request, env: ServerBindings) => app.fetch(request, env),
    () => new Response(JSON.stringify(problemBody("not_found", "not a Gatehouse path").body), { status: 404, headers: { "content-type": "application/problem+json" } }));
  let closed = false;
  return {
    fetch: async (request, env) => mounted(request, env ?? {}),
    authenticate: (request) => authenticateRequest(users, request),
    owns: (method, path) => {
      const inner = innerPath(basePath, path);
      return inner !== undefined && owned(method, inner);
    },
    publicUrl,
    users,
    store,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      database.close();
      githubFetch?.close();
      if (ownsStore) await store.close();
    },
  };
}

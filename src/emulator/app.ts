/**
 * The emulator as a transport-neutral `fetch(Request) => Response` app (Hono): github.com's web
 * paths, api.github.com's paths at the root and under `/api/v3`, and the `/_emulator/` controls.
 */
import { Hono } from "hono";
import { apiError, RateLimits } from "./api-headers.js";
import { registerApplicationsRoutes } from "./applications-routes.js";
import { registerAuthorizeRoutes } from "./authorize-routes.js";
import { registerControlRoutes } from "./control-routes.js";
import { createControls } from "./controls.js";
import type { EmulatorEnv } from "./core.js";
import { Core } from "./core.js";
import { DEFAULT_APP, DEFAULT_USERS } from "./defaults.js";
import { registerDeviceRoutes } from "./device-routes.js";
import { EmulatorError } from "./errors.js";
import { applyFault } from "./faults.js";
import { bodyForLog } from "./request-log.js";
import { MAX_BODY_BYTES, readBoundedText } from "./request-body.js";
import { GHES_API_PREFIX, isApiRoute, matchRoute } from "./routes.js";
import { FAVICON_SVG } from "./pages.js";
import { registerProfileRoutes } from "./profile-routes.js";
import { optionsSchema, parseInput } from "./seed-schema.js";
import { registerTokenRoutes } from "./token-routes.js";
import type { EmulatorAppSeed, EmulatorFault, GitHubEmulatorControls, GitHubEmulatorOptions } from "./types.js";
import { registerUserApiRoutes } from "./user-api-routes.js";

/**
 * A registered app as the emulator reports it (the secret included: it is test configuration).
 *
 * @example
 * const [{ clientId, clientSecret }] = gh.apps();
 */
export interface EmulatorAppInfo {
  clientId: string;
  clientSecret: string;
  name: string;
  kind: "oauth-app" | "github-app";
  callbackUrls: string[];
  deviceFlow: boolean;
  expiringTokens: boolean;
  suspended: boolean;
}

/**
 * An in-process emulator: a fetch handler plus the controls.
 *
 * @example
 * const em: GitHubEmulator = createGitHubEmulator();
 * const res = await em.fetch(new Request("http://gh.test/user", { headers: { authorization: `Bearer ${em.createToken("octocat").accessToken}`, "user-agent": "t" } }));
 */
export interface GitHubEmulator extends GitHubEmulatorControls {
  /** Handles one request (mount it in any fetch-style server, or call it directly in a test). */
  fetch(request: Request): Promise<Response>;
  /** The registered apps. */
  apps(): EmulatorAppInfo[];
  /** The current users' logins and ids. */
  users(): Array<{ login: string; id: number; name: string | null }>;
}

/**
 * Options of {@link createGitHubEmulator}: those of the Node binding, plus a fixed origin.
 *
 * @example
 * const em = createGitHubEmulator({ origin: "http://127.0.0.1:8080", autoApprove: "octocat" });
 */
export interface CreateGitHubEmulatorOptions extends Omit<GitHubEmulatorOptions, "port"> {
  /**
   * The emulator's public origin (`http://127.0.0.1:8080`) used in `iss`, `verification_uri` and
   * links. Default: each request's own origin.
   */
  origin?: string | undefined;
}

function avatarSvg(label: string): Response {
  const letter = (label[0] ?? "?").toUpperCase().replace(/[^A-Z0-9]/g, "?");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="#6e7781"/><text x="32" y="42" font-size="28" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`;
  return new Response(svg, { headers: { "content-type": "image/svg+xml", "cache-control": "max-age=3600" } });
}

/**
 * Creates an emulator without a server: call `fetch(request)` yourself or mount it.
 *
 * @example
 * const gh = createGitHubEmulator({ autoApprove: "octocat" });
 * const res = await gh.fetch(new Request("http://gh.test/login/device/code", { method: "POST", body: new URLSearchParams({ client_id: DEFAULT_APP.clientId }) }));
 */
export function createGitHubEmulator(options: CreateGitHubEmulatorOptions = {}): GitHubEmulator {
  const { origin, ...rest } = options;
  const opts = parseInput(optionsSchema, rest, "options");
  if (origin !== undefined && !URL.canParse(origin)) throw new EmulatorError("invalid_option", "options.origin: an absolute URL");
  const now = opts.now ?? Date.now;
  const core = new Core(now, opts.deviceInterval ?? 5, opts.autoApprove ?? null, origin === undefined ? null : new URL(origin).origin);
  const apps: EmulatorAppSeed[] = opts.apps ?? [{ ...DEFAULT_APP, callbackUrls: [...DEFAULT_APP.callbackUrls] }];
  for (const app of apps) core.dir.addApp(app);
  for (const user of opts.users ?? DEFAULT_USERS) core.dir.addUser(user);
  if (opts.autoApprove !== undefined && !core.dir.findUser(opts.autoApprove)) {
    throw new EmulatorError("invalid_option", `options.autoApprove: no user '${opts.autoApprove}'`);
  }
  const controls = createControls(core);
  const limits = new RateLimits(now);

  const app = new Hono<EmulatorEnv>();
  app.use("*", async (c, next) => {
    const url = new URL(c.req.url);
    const method = c.req.method;
    const body = method === "GET" || method === "HEAD" ? "" : await readBoundedText(c.req.raw, MAX_BODY_BYTES);
    if (body === null) {
      return new Response(JSON.stringify({ message: `Request body is larger than ${MAX_BODY_BYTES} bytes` }), {
        status: 413,
        headers: { "content-type": "application/json; charset=utf-8", connection: "close" },
      });
    }
    c.set("body", body);
    const route = matchRoute(method, url.pathname);
    c.set("route", route);
    if (url.pathname.startsWith("/_emulator/")) return next();
    let fault: EmulatorFault | null = null;
    if (route !== null) fault = core.faults.take(route);
    if (fault === null) await next();
    else {
      const res = await applyFault(fault, now(), async () => {
        await next();
        return c.res;
      });
      // Replaces the handler's answer (malformed) or stands in for it (status, rate limit).
      c.res = res;
    }
    // Keep a Date header from the emulator's clock: clients compute token expiry from it.
    if (!c.res.headers.has("date")) c.res.headers.set("date", new Date(now()).toUTCString());
    core.log.add({
      time: now(),
      method,
      url,
      route,
      headers: c.req.raw.headers,
      body: bodyForLog(c.req.header("content-type") ?? null, c.get("body")),
      status: c.res.status,
      fault,
    });
  });

  registerAuthorizeRoutes(app, core);
  registerTokenRoutes(app, core);
  registerDeviceRoutes(app, core);
  for (const prefix of ["", GHES_API_PREFIX]) {
    registerUserApiRoutes(app, core, limits, prefix);
    registerApplicationsRoutes(app, core, limits, prefix);
  }
  registerControlRoutes(app, core, controls);
  app.get("/avatars/:kind/:id", (c) => {
    const user = c.req.param("kind") === "u" ? core.dir.userById(Number(c.req.param("id"))) : undefined;
    return avatarSvg(user?.login ?? "o");
  });
  // The pages link the SVG; browsers that ask for /favicon.ico anyway get "nothing here", not a 404.
  app.get("/favicon.svg", () =>
    new Response(FAVICON_SVG, { headers: { "content-type": "image/svg+xml", "cache-control": "max-age=86400" } }));
  app.get("/favicon.ico", () => new Response(null, { status: 204, headers: { "cache-control": "max-age=86400" } }));
  // Last: `/{login}` must not shadow any other path.
  registerProfileRoutes(app, core);
  app.notFound((c) => {
    const route = c.get("route");
    const path = new URL(c.req.url).pathname;
    const api = (route !== null && isApiRoute(route)) || path.startsWith(`${GHES_API_PREFIX}/`) || !path.startsWith("/login/");
    return api
      ? apiError(404, "Not Found")
      : new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  });
  app.onError((err) => {
    // Never a stack trace on the wire; the message of an unexpected failure only.
    return Response.json({ message: "Server Error", detail: err.message, status: "500" }, { status: 500 });
  });

  const typed: GitHubEmulatorControls = controls;
  return {
    ...typed,
    fetch: async (request) => app.fetch(request),
    apps: () => core.dir.listApps().map((a) => ({ ...a, callbackUrls: [...a.callbackUrls] })),
    users: () => core.dir.listUsers().map((u) => ({ login: u.login, id: u.id, name: u.name })),
  };
}

/**
 * The test controls over HTTP under `/_emulator/` (JSON in and out), for tests in other
 * languages. Errors are `application/problem+json` with the EmulatorError code.
 */
import type { Hono } from "hono";
import type { Core, EmulatorContext, EmulatorEnv } from "./core.js";
import { EmulatorError } from "./errors.js";
import type { UncheckedControls } from "./controls.js";

const STATUS: Record<EmulatorError["code"], number> = {
  invalid_option: 400,
  unknown_route: 400,
  unknown_user: 404,
  unknown_app: 404,
  unknown_user_code: 404,
  duplicate_user: 409,
  device_code_expired: 410,
  device_code_already_used: 409,
  listen_failed: 500,
};

function problem(status: number, code: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: code, status, code, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

/** Runs a control; maps its typed errors to problem+json. */
function run(c: EmulatorContext, action: (body: unknown) => unknown, okStatus = 200): Response {
  let body: unknown = null;
  const text = c.get("body");
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      return problem(400, "invalid_json", "The body is not valid JSON.");
    }
  }
  try {
    const result = action(body);
    return result === undefined ? new Response(null, { status: 204 }) : Response.json(result, { status: okStatus });
  } catch (err) {
    if (err instanceof EmulatorError) return problem(STATUS[err.code], err.code, err.message);
    throw err;
  }
}

/** A field of a JSON object body; undefined when absent (the control validates it). */
function field(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null && !Array.isArray(body) ? Object.entries(body).find(([k]) => k === name)?.[1] : undefined;
}

/**
 * A browser request sent by a page of another site. The controls have no credentials (they are
 * for tests on loopback), so a web page the developer visits could otherwise change them with a
 * form post or a `text/plain` fetch, which need no CORS preflight. Tools send neither header.
 */
function crossSite(c: EmulatorContext): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const origin = c.req.header("origin");
  return origin !== undefined && origin !== new URL(c.req.url).origin;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/**
 * DNS rebinding: a page at `evil.example` whose name the attacker re-points to 127.0.0.1 sends
 * requests with a matching Origin, so only the Host tells them apart. The controls answer only the
 * emulator's own host (and the loopback names of its port when it listens on loopback). Without a
 * fixed origin (an app mounted by the host), the request's own host is the emulator's.
 */
function foreignHost(c: EmulatorContext, core: Core): boolean {
  const own = new URL(core.origin(c.req.url));
  const host = new URL(c.req.url).host.toLowerCase();
  if (host === own.host) return false;
  if (!LOOPBACK_NAMES.includes(own.hostname)) return true;
  return !LOOPBACK_NAMES.some((name) => (own.port === "" ? name : `${name}:${own.port}`) === host);
}

export function registerControlRoutes(app: Hono<EmulatorEnv>, core: Core, controls: UncheckedControls): void {
  const base = "/_emulator";
  app.use(`${base}/*`, async (c, next) => {
    if (foreignHost(c, core)) return problem(403, "foreign_host", "The emulator's controls answer only requests addressed to the emulator's own host.");
    if (crossSite(c)) return problem(403, "cross_site_request", "The emulator's controls do not accept requests from other sites' pages.");
    return next();
  });
  app.get(`${base}/apps`, (c) =>
    run(c, () => core.dir.listApps().map(({ clientSecret: _secret, ...rest }) => rest)),
  );
  app.get(`${base}/users`, (c) =>
    run(c, () =>
      core.dir.listUsers().map((u) => ({
        login: u.login,
        id: u.id,
        name: u.name,
        emails: u.emails,
        orgs: [...u.orgs.values()].map((m) => ({ login: m.org, role: m.role, state: m.state, public: m.public })),
        teams: [...u.teams.values()],
      })),
    ),
  );
  app.post(`${base}/users`, (c) => run(c, (b) => { controls.addUser(b); return { ok: true }; }, 201));
  app.patch(`${base}/users/:login`, (c) => run(c, (b) => controls.renameUser(c.req.param("login"), field(b, "login"))));
  app.put(`${base}/users/:login/emails`, (c) => run(c, (b) => controls.setEmails(c.req.param("login"), b)));
  app.put(`${base}/users/:login/profile`, (c) => run(c, (b) => controls.setProfile(c.req.param("login"), b)));
  app.put(`${base}/users/:login/orgs/:org`, (c) =>
    run(c, (b) => controls.setOrgMembership(c.req.param("login"), c.req.param("org"), b ?? {})),
  );
  app.delete(`${base}/users/:login/orgs/:org`, (c) => run(c, () => controls.setOrgMembership(c.req.param("login"), c.req.param("org"), null)));
  app.put(`${base}/users/:login/teams/:org/:team`, (c) =>
    run(c, (b) => controls.setTeamMembership(c.req.param("login"), c.req.param("org"), c.req.param("team"), b ?? {})),
  );
  app.delete(`${base}/users/:login/teams/:org/:team`, (c) => run(c, () => controls.setTeamMembership(c.req.param("login"), c.req.param("org"), c.req.param("team"), null)));
  app.post(`${base}/users/:login/revoke-tokens`, (c) => run(c, () => controls.revokeTokens(c.req.param("login"))));
  app.post(`${base}/users/:login/tokens`, (c) =>
    run(
      c,
      (b) => {
        const t = controls.createToken(c.req.param("login"), b ?? undefined);
        return { access_token: t.accessToken, scope: t.scope, refresh_token: t.refreshToken, expires_at: t.expiresAt?.toISOString() ?? null };
      },
      201,
    ),
  );
  app.post(`${base}/devices/:userCode/approve`, (c) => run(c, (b) => controls.approveDevice(c.req.param("userCode"), field(b, "login"))));
  app.post(`${base}/devices/:userCode/deny`, (c) => run(c, () => controls.denyDevice(c.req.param("userCode"))));
  app.put(`${base}/auto-approve`, (c) => run(c, (b) => controls.setAutoApprove(field(b, "login") ?? null)));
  app.get(`${base}/requests`, (c) => run(c, () => controls.requests()));
  app.delete(`${base}/requests`, (c) => run(c, () => controls.clearRequests()));
  app.post(`${base}/faults`, (c) =>
    run(c, (b) => controls.injectFault(field(b, "route"), field(b, "fault"))),
  );
  app.delete(`${base}/faults`, (c) => run(c, () => controls.clearFaults()));
  app.all(`${base}/*`, () => problem(404, "not_found", "No such control endpoint; see the README's emulator section."));
}

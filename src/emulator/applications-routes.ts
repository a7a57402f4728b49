/**
 * OAuth-app token management (`/applications/{client_id}/token` and `/grant`): Basic auth with the
 * app's credentials, JSON body `{"access_token": ...}` (DELETE included).
 */
import type { Hono } from "hono";
import type { RateLimits } from "./api-headers.js";
import { apiBase, apiError, apiJson, apiPreflight } from "./api-headers.js";
import type { Core, EmulatorContext, EmulatorEnv } from "./core.js";
import type { AppRecord } from "./directory.js";
import { parseBasicAuth } from "./request-body.js";
import { safeEqual } from "./secrets.js";
import type { TokenRecord } from "./tokens.js";
import { isoSeconds, simpleUser } from "./api-objects.js";

const DOCS = "https://docs.github.com/rest/apps/oauth-applications";

type Checked = { app: AppRecord; record: TokenRecord; token: string; headers: Record<string, string> };

/** Basic auth of the path's app, and a live token of that app in the body; else GitHub's 401/404/422. */
function check(c: EmulatorContext, core: Core, limits: RateLimits): Checked | Response {
  const pre = apiPreflight(c, `app:${c.req.param("client_id") ?? ""}`, limits, 5000);
  if (pre instanceof Response) return pre;
  const basic = parseBasicAuth(c.req.header("authorization"));
  const app = basic ? core.dir.app(basic.id) : undefined;
  if (!basic || !app || !safeEqual(basic.secret, app.clientSecret)) return apiError(401, "Bad credentials", DOCS, pre.headers);
  if (app.clientId !== c.req.param("client_id")) return apiError(404, "Not Found", DOCS, pre.headers);
  let body: unknown;
  try {
    body = JSON.parse(c.get("body") || "null");
  } catch {
    return apiError(400, "Problems parsing JSON", DOCS, pre.headers);
  }
  const token = typeof body === "object" && body !== null && "access_token" in body ? body.access_token : undefined;
  if (typeof token !== "string" || token === "") return apiError(422, 'Invalid request.\n\n"access_token" wasn\'t supplied.', DOCS, pre.headers);
  const record = core.tokens.findAccess(token);
  if (!record || record.clientId !== app.clientId) return apiError(404, "Not Found", DOCS, pre.headers);
  return { app, record, token, headers: pre.headers };
}

/** The authorization object GitHub's check and reset return. */
function authorizationJson(c: EmulatorContext, core: Core, app: AppRecord, record: TokenRecord, token: string): Record<string, unknown> {
  const user = core.dir.userById(record.userId);
  return {
    id: record.id,
    url: `${apiBase(c, core)}/authorizations/${record.id}`,
    app: { name: app.name, url: core.origin(c.req.url), client_id: app.clientId },
    token,
    hashed_token: record.digest,
    token_last_eight: record.lastEight,
    note: null,
    note_url: null,
    created_at: isoSeconds(record.createdAt),
    updated_at: isoSeconds(record.updatedAt),
    expires_at: record.expiresAt === null ? null : isoSeconds(record.expiresAt),
    fingerprint: null,
    scopes: record.scopes,
    user: user ? simpleUser(c, core, user) : null,
  };
}

export function registerApplicationsRoutes(app: Hono<EmulatorEnv>, core: Core, limits: RateLimits, prefix: string): void {
  const tokenPath = `${prefix}/applications/:client_id/token`;

  app.post(tokenPath, (c) => {
    const r = check(c, core, limits);
    if (r instanceof Response) return r;
    return apiJson(200, authorizationJson(c, core, r.app, r.record, r.token), r.headers);
  });

  app.patch(tokenPath, (c) => {
    const r = check(c, core, limits);
    if (r instanceof Response) return r;
    // Reset: a new token for the same grant; the old one stops working at once.
    const issued = core.tokens.reset(r.app, r.record);
    return apiJson(200, authorizationJson(c, core, r.app, issued.record, issued.accessToken), r.headers);
  });

  app.delete(tokenPath, (c) => {
    const r = check(c, core, limits);
    if (r instanceof Response) return r;
    core.tokens.revoke(r.record);
    return apiJson(204, null, r.headers);
  });

  app.delete(`${prefix}/applications/:client_id/grant`, (c) => {
    const r = check(c, core, limits);
    if (r instanceof Response) return r;
    // The whole grant: every token of this user for this app, and the consent itself.
    core.tokens.revokeUser(r.record.userId, r.app.clientId);
    core.codes.revokeUser(r.record.userId, r.app.clientId);
    core.grants.delete(r.record.userId, r.app.clientId);
    return apiJson(204, null, r.headers);
  });
}

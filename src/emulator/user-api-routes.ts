/** api.github.com's endpoints for the signed-in user: profile, emails, orgs, org and team memberships. */
import type { Hono } from "hono";
import type { ApiCaller, RateLimits } from "./api-headers.js";
import { apiBase, apiError, apiJson, authenticate } from "./api-headers.js";
import { fullUser, orgMembership, orgSimple } from "./api-objects.js";
import { conditionalJson, paginate } from "./api-paging.js";
import type { Core, EmulatorContext, EmulatorEnv } from "./core.js";
import { acceptedScopesHeader, hasAnyScope } from "./scopes.js";

const DOCS = "https://docs.github.com/rest";

/**
 * Scope check for OAuth-app tokens. GitHub App user tokens carry permissions, not scopes: the
 * emulator lets them through. The accepted scopes travel in `X-Accepted-OAuth-Scopes`.
 */
function scoped(core: Core, caller: ApiCaller, accepted: string[]): { allowed: boolean; headers: Record<string, string> } {
  const app = core.dir.app(caller.token.clientId);
  const allowed = app?.kind === "github-app" || hasAnyScope(caller.token.scopes, accepted);
  return { allowed, headers: { ...caller.headers, "x-accepted-oauth-scopes": acceptedScopesHeader(accepted) } };
}

/** 200 with ETag, or 304 for a matching `If-None-Match` (which GitHub does not count). */
function conditional(c: EmulatorContext, limits: RateLimits, caller: ApiCaller, body: unknown, headers: Record<string, string>): Response {
  const r = conditionalJson(c, body, headers, () => limits.refund(caller.rateKey));
  return apiJson(r.status, r.body, r.headers);
}

export function registerUserApiRoutes(app: Hono<EmulatorEnv>, core: Core, limits: RateLimits, prefix: string): void {
  app.get(`${prefix}/user`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    // Only `user` and `read:user` see the private profile (GitHub's `private-user` view).
    const privateView = core.dir.app(caller.token.clientId)?.kind === "github-app" || hasAnyScope(caller.token.scopes, ["read:user"]);
    return conditional(c, limits, caller, fullUser(c, core, caller.user, privateView), { ...caller.headers, "x-accepted-oauth-scopes": "" });
  });

  app.get(`${prefix}/user/emails`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["user", "user:email"]);
    // Without user:email GitHub answers 404 rather than revealing the endpoint exists.
    if (!allowed) return apiError(404, "Not Found", `${DOCS}/users/emails#list-email-addresses-for-the-authenticated-user`, headers);
    const all = caller.user.emails.map((e) => ({ email: e.email, primary: e.primary, verified: e.verified, visibility: e.visibility }));
    const { page, headers: link } = paginate(c, core, all);
    return conditional(c, limits, caller, page, { ...headers, ...link });
  });

  app.get(`${prefix}/user/orgs`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["user", "read:org"]);
    // GitHub: "at least user or read:org scope ... insufficient scope will receive a 403".
    if (!allowed) return apiError(403, "You need at least read:org scope or user scope to list your organizations.", `${DOCS}/orgs/orgs#list-organizations-for-the-authenticated-user`, headers);
    // Pending invitations are not memberships yet.
    const orgs = [...caller.user.orgs.values()].filter((m) => m.state === "active").map((m) => orgSimple(c, core, m.org));
    const { page, headers: link } = paginate(c, core, orgs);
    return conditional(c, limits, caller, page, { ...headers, ...link });
  });

  app.get(`${prefix}/user/memberships/orgs/:org`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["read:org", "user"]);
    const docs = `${DOCS}/orgs/members#get-an-organization-membership-for-the-authenticated-user`;
    if (!allowed) return apiError(403, "You need at least read:org scope or user scope to list your organization memberships.", docs, headers);
    const m = caller.user.orgs.get(c.req.param("org").toLowerCase());
    if (!m) return apiError(404, "Not Found", docs, headers);
    return apiJson(200, orgMembership(c, core, caller.user, m), headers);
  });

  app.get(`${prefix}/orgs/:org/teams/:team/memberships/:username`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["read:org"]);
    const docs = `${DOCS}/teams/members#get-team-membership-for-a-user`;
    // The description's only error here is 404: a team the token may not see is not found.
    if (!allowed) return apiError(404, "Not Found", docs, headers);
    const org = c.req.param("org");
    const team = c.req.param("team");
    const member = core.dir.findUser(c.req.param("username"));
    const m = member && core.dir.teamMembership(member, org, team);
    if (!member || !m) return apiError(404, "Not Found", docs, headers);
    return apiJson(200, { url: `${apiBase(c, core)}/organizations/${core.dir.orgId(org)}/team/${m.slug}/memberships/${member.login}`, role: m.role, state: m.state }, headers);
  });
}

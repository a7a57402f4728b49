/** api.github.com's endpoints for the signed-in user: profile, emails, orgs, org and team memberships. */
import type { Hono } from "hono";
import type { ApiCaller, RateLimits } from "./api-headers.js";
import { apiBase, apiError, apiJson, authenticate } from "./api-headers.js";
import type { Core, EmulatorContext, EmulatorEnv } from "./core.js";
import type { UserRecord } from "./directory.js";
import { hasAnyScope } from "./scopes.js";

const DOCS = "https://docs.github.com/rest";

/** The part of a user every GitHub object embeds (`simple-user`). */
export function simpleUser(c: EmulatorContext, core: Core, u: UserRecord): Record<string, unknown> {
  const api = apiBase(c, core);
  return {
    login: u.login,
    id: u.id,
    node_id: `U_${Buffer.from(`04:User${u.id}`).toString("base64url")}`,
    avatar_url: core.avatarUrl(c.req.url, u),
    gravatar_id: "",
    url: `${api}/users/${u.login}`,
    html_url: `${core.origin(c.req.url)}/${u.login}`,
    type: "User",
    site_admin: u.siteAdmin,
  };
}

function orgJson(c: EmulatorContext, core: Core, login: string): Record<string, unknown> {
  const api = apiBase(c, core);
  const id = core.dir.orgId(login);
  return {
    login,
    id,
    node_id: `O_${Buffer.from(`04:Organization${id}`).toString("base64url")}`,
    url: `${api}/orgs/${login}`,
    avatar_url: `${core.origin(c.req.url)}/avatars/o/${id}`,
    description: null,
  };
}

/**
 * Scope check for OAuth-app tokens. GitHub App user tokens carry permissions, not scopes: the
 * emulator lets them through. The accepted scopes travel in `X-Accepted-OAuth-Scopes`.
 */
function scoped(core: Core, caller: ApiCaller, accepted: string[]): { allowed: boolean; headers: Record<string, string> } {
  const app = core.dir.app(caller.token.clientId);
  const allowed = app?.kind === "github-app" || hasAnyScope(caller.token.scopes, accepted);
  return { allowed, headers: { ...caller.headers, "x-accepted-oauth-scopes": accepted.join(", ") } };
}

export function registerUserApiRoutes(app: Hono<EmulatorEnv>, core: Core, limits: RateLimits, prefix: string): void {
  app.get(`${prefix}/user`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const u = caller.user;
    const publicEmail = u.emails.find((e) => e.primary && e.visibility === "public")?.email ?? null;
    const api = apiBase(c, core);
    return apiJson(
      200,
      {
        ...simpleUser(c, core, u),
        followers_url: `${api}/users/${u.login}/followers`,
        repos_url: `${api}/users/${u.login}/repos`,
        name: u.name,
        company: u.company,
        blog: "",
        location: u.location,
        // null when the user keeps their email private.
        email: publicEmail,
        hireable: null,
        bio: u.bio,
        twitter_username: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: new Date(u.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        updated_at: new Date(u.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
      { ...caller.headers, "x-accepted-oauth-scopes": "" },
    );
  });

  app.get(`${prefix}/user/emails`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["user", "user:email"]);
    // Without user:email GitHub answers 404 rather than revealing the endpoint exists.
    if (!allowed) return apiError(404, "Not Found", `${DOCS}/users/emails#list-email-addresses-for-the-authenticated-user`, headers);
    return apiJson(200, caller.user.emails.map((e) => ({ email: e.email, primary: e.primary, verified: e.verified, visibility: e.visibility })), headers);
  });

  app.get(`${prefix}/user/orgs`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["user", "read:org"]);
    // Without read:org only publicised memberships are visible; pending invitations never are.
    const orgs = [...caller.user.orgs.values()].filter((m) => m.state === "active" && (allowed || m.public));
    return apiJson(200, orgs.map((m) => orgJson(c, core, m.org)), headers);
  });

  app.get(`${prefix}/user/memberships/orgs/:org`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["read:org", "user"]);
    if (!allowed) return apiError(403, "You need at least read:org scope or user scope to list your organization memberships.", `${DOCS}/orgs/members#get-an-organization-membership-for-the-authenticated-user`, headers);
    const m = caller.user.orgs.get(c.req.param("org").toLowerCase());
    if (!m) return apiError(404, "Not Found", `${DOCS}/orgs/members#get-an-organization-membership-for-the-authenticated-user`, headers);
    const api = apiBase(c, core);
    return apiJson(
      200,
      { url: `${api}/orgs/${m.org}/memberships/${caller.user.login}`, state: m.state, role: m.role, organization_url: `${api}/orgs/${m.org}`, organization: orgJson(c, core, m.org), user: simpleUser(c, core, caller.user) },
      headers,
    );
  });

  app.get(`${prefix}/orgs/:org/teams/:team/memberships/:username`, (c) => {
    const caller = authenticate(c, core, limits);
    if (caller instanceof Response) return caller;
    const { allowed, headers } = scoped(core, caller, ["read:org"]);
    const docs = `${DOCS}/teams/members#get-team-membership-for-a-user`;
    if (!allowed) return apiError(403, "You need at least read:org scope to read team memberships.", docs, headers);
    const org = c.req.param("org");
    const team = c.req.param("team");
    const member = core.dir.findUser(c.req.param("username"));
    const m = member && core.dir.teamMembership(member, org, team);
    if (!member || !m) return apiError(404, "Not Found", docs, headers);
    return apiJson(200, { url: `${apiBase(c, core)}/organizations/${core.dir.orgId(org)}/team/${m.slug}/memberships/${member.login}`, role: m.role, state: m.state }, headers);
  });
}

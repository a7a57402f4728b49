/**
 * The JSON objects api.github.com returns, with every field its REST description marks required
 * (`simple-user`, `public-user`, `private-user`, `organization-simple`, `org-membership`).
 */
import { apiBase } from "./api-headers.js";
import type { Core, EmulatorContext } from "./core.js";
import type { OrgMembershipRecord, UserRecord } from "./directory.js";

/** GitHub's timestamps: ISO 8601 to the second. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The part of a user every GitHub object embeds (`simple-user`). */
export function simpleUser(c: EmulatorContext, core: Core, u: UserRecord): Record<string, unknown> {
  const api = apiBase(c, core);
  const self = `${api}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: `U_${Buffer.from(`04:User${u.id}`).toString("base64url")}`,
    avatar_url: core.avatarUrl(c.req.url, u),
    gravatar_id: "",
    url: self,
    html_url: `${core.origin(c.req.url)}/${u.login}`,
    followers_url: `${self}/followers`,
    following_url: `${self}/following{/other_user}`,
    gists_url: `${self}/gists{/gist_id}`,
    starred_url: `${self}/starred{/owner}{/repo}`,
    subscriptions_url: `${self}/subscriptions`,
    organizations_url: `${self}/orgs`,
    repos_url: `${self}/repos`,
    events_url: `${self}/events{/privacy}`,
    received_events_url: `${self}/received_events`,
    type: "User",
    user_view_type: "public",
    site_admin: u.siteAdmin,
  };
}

/**
 * `GET /user`: the public profile (`public-user`), or with `privateView` (a token with `user` or
 * `read:user`) the private one (`private-user`) that adds the account's private counters.
 */
export function fullUser(c: EmulatorContext, core: Core, u: UserRecord, privateView: boolean): Record<string, unknown> {
  const publicEmail = u.emails.find((e) => e.primary && e.visibility === "public")?.email ?? null;
  const created = isoSeconds(u.createdAt);
  const body: Record<string, unknown> = {
    ...simpleUser(c, core, u),
    user_view_type: privateView ? "private" : "public",
    name: u.name,
    company: u.company,
    blog: "",
    location: u.location,
    // null when the user keeps their email private.
    email: publicEmail,
    hireable: null,
    bio: u.bio,
    twitter_username: null,
    notification_email: publicEmail,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
  };
  if (!privateView) return body;
  return {
    ...body,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
    plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

/** An organisation as lists and memberships embed it (`organization-simple`). */
export function orgSimple(c: EmulatorContext, core: Core, login: string): Record<string, unknown> {
  const api = apiBase(c, core);
  const id = core.dir.orgId(login);
  const self = `${api}/orgs/${login}`;
  return {
    login,
    id,
    node_id: `O_${Buffer.from(`04:Organization${id}`).toString("base64url")}`,
    url: self,
    repos_url: `${self}/repos`,
    events_url: `${self}/events`,
    hooks_url: `${self}/hooks`,
    issues_url: `${self}/issues`,
    members_url: `${self}/members{/member}`,
    public_members_url: `${self}/public_members{/member}`,
    avatar_url: `${core.origin(c.req.url)}/avatars/o/${id}`,
    description: null,
  };
}

/** `GET /user/memberships/orgs/{org}` (`org-membership`). */
export function orgMembership(c: EmulatorContext, core: Core, user: UserRecord, m: OrgMembershipRecord): Record<string, unknown> {
  const api = apiBase(c, core);
  return {
    url: `${api}/orgs/${m.org}/memberships/${user.login}`,
    state: m.state,
    role: m.role,
    organization_url: `${api}/orgs/${m.org}`,
    organization: orgSimple(c, core, m.org),
    user: simpleUser(c, core, user),
    permissions: { can_create_repository: m.role === "admin" },
  };
}

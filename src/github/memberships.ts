/** The user's organisations, organisation and team memberships (docs/github-protocol.md §11). */
import type { ClientContext } from "./context.js";
import { GitHubUsageError } from "./errors.js";
import { asArray, asRecord, nullableStr, oneOf, ShapeError, str } from "./fields.js";
import { bearer, rest, shaped } from "./rest.js";
import type { GitHubOrg, OrgMembership, TeamMembership } from "./types.js";

/** One page of `GET {api}/user/orgs`. */
function readOrgs(value: unknown): GitHubOrg[] {
  return asArray(value, "orgs").map((item, i) => {
    const o = asRecord(item, `orgs[${i}]`);
    const id = o["id"];
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) throw new ShapeError(`orgs[${i}].id`, "a positive integer");
    return { id, login: str(o, "login"), nodeId: nullableStr(o, "node_id"), avatarUrl: nullableStr(o, "avatar_url"), description: nullableStr(o, "description") };
  });
}

/** `GET {api}/user/memberships/orgs/{org}`. */
function readOrgMembership(value: unknown): OrgMembership {
  const m = asRecord(value, "membership");
  return { state: oneOf(m, "state", ["active", "pending"]), role: oneOf(m, "role", ["admin", "member", "billing_manager"]) };
}

/** `GET {api}/orgs/{org}/teams/{team_slug}/memberships/{username}`. */
function readTeamMembership(value: unknown): TeamMembership {
  const m = asRecord(value, "membership");
  return { state: oneOf(m, "state", ["active", "pending"]), role: oneOf(m, "role", ["member", "maintainer"]) };
}

/**
 * The `rel="next"` URL of a `Link` header, only when it stays under `apiUrl` (never send the token
 * to another host a response names).
 */
function nextPage(link: string | null, apiUrl: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m && (m[1]!.startsWith(`${apiUrl}/`) || m[1]!.startsWith(`${apiUrl}?`))) return m[1];
  }
  return undefined;
}

function segment(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new GitHubUsageError("invalid_argument", `${name} must be a non-empty string`);
  return encodeURIComponent(value);
}

/** `GET /user/orgs`, every page (needs `read:org` or `user`). */
export async function listOrgs(ctx: ClientContext, token: string): Promise<GitHubOrg[]> {
  const auth = bearer(token);
  const orgs: GitHubOrg[] = [];
  let url: string | undefined = `${ctx.apiUrl}/user/orgs?per_page=100`;
  // Bounded: 50 pages of 100 is far beyond any real membership list.
  for (let page = 0; url !== undefined && page < 50; page++) {
    const res = await rest(ctx, { method: "GET", path: "/user/orgs", url, auth });
    orgs.push(...shaped(res, readOrgs));
    url = nextPage(res.headers.get("link"), ctx.apiUrl);
  }
  return orgs;
}

/** `GET /user/memberships/orgs/{org}`, or `null` when not a member (404). */
export async function getOrgMembership(ctx: ClientContext, token: string, org: string): Promise<OrgMembership | null> {
  const path = `/user/memberships/orgs/${segment("org", org)}`;
  const res = await rest(ctx, { method: "GET", path, auth: bearer(token), nullOn404: true });
  return res && shaped(res, readOrgMembership);
}

/**
 * `GET /orgs/{org}/teams/{team_slug}/memberships/{username}`, or `null` when not a member (404);
 * `forbidden` when the 404 comes from a token without `read:org`.
 */
export async function getTeamMembership(ctx: ClientContext, token: string, org: string, teamSlug: string, username: string): Promise<TeamMembership | null> {
  const path = `/orgs/${segment("org", org)}/teams/${segment("teamSlug", teamSlug)}/memberships/${segment("username", username)}`;
  // Without read:org GitHub hides the team behind a 404: that is a missing scope, not "no member".
  const res = await rest(ctx, { method: "GET", path, auth: bearer(token), nullOn404: true, scopes: ["read:org", "write:org", "admin:org"] });
  return res && shaped(res, readTeamMembership);
}

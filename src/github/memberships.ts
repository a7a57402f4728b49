/** Bodies of the organisation and team endpoints (protocol sheet §7). */
import { asArray, asRecord, nullableStr, oneOf, ShapeError, str } from "./fields.js";
import type { GitHubOrg, OrgMembership, TeamMembership } from "./types.js";

/** One page of `GET {api}/user/orgs`. */
export function readOrgs(value: unknown): GitHubOrg[] {
  return asArray(value, "orgs").map((item, i) => {
    const o = asRecord(item, `orgs[${i}]`);
    const id = o["id"];
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) throw new ShapeError(`orgs[${i}].id`, "a positive integer");
    return { id, login: str(o, "login"), nodeId: nullableStr(o, "node_id"), avatarUrl: nullableStr(o, "avatar_url"), description: nullableStr(o, "description") };
  });
}

/** `GET {api}/user/memberships/orgs/{org}`. */
export function readOrgMembership(value: unknown): OrgMembership {
  const m = asRecord(value, "membership");
  return { state: oneOf(m, "state", ["active", "pending"]), role: oneOf(m, "role", ["admin", "member", "billing_manager"]) };
}

/** `GET {api}/orgs/{org}/teams/{team_slug}/memberships/{username}`. */
export function readTeamMembership(value: unknown): TeamMembership {
  const m = asRecord(value, "membership");
  return { state: oneOf(m, "state", ["active", "pending"]), role: oneOf(m, "role", ["member", "maintainer"]) };
}

/**
 * The `rel="next"` URL of a `Link` header, only when it stays under `apiUrl` (never send the token
 * to another host a response names).
 */
export function nextPage(link: string | null, apiUrl: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m && (m[1]!.startsWith(`${apiUrl}/`) || m[1]!.startsWith(`${apiUrl}?`))) return m[1];
  }
  return undefined;
}

/**
 * Who may pass a guard or `/auth/check`: a role, org and team rule over a signed-in user. The one
 * decision both use, so a guard and the proxy check never disagree.
 */
import type { Authenticated, Role } from "../users/index.js";
import type { Users } from "../users/index.js";

/**
 * Narrows who is allowed. Empty: any signed-in user. `role: "admin"`: admins only (`"user"`
 * admits everyone signed in, admins included). `orgs`: an active member of at least one;
 * `teams` (`org/team-slug`): an active member of at least one. Memberships are asked of GitHub
 * with the user's stored token and cached for a minute; a user without a GitHub link meets no
 * org or team rule.
 */
export interface AccessRule {
  role?: Role | undefined;
  orgs?: readonly string[] | undefined;
  teams?: readonly string[] | undefined;
}

/** The outcome of a check: `unauthenticated` (401), `forbidden` (403) or the signed-in user. */
export type AccessResult =
  | { outcome: "unauthenticated" }
  | { outcome: "forbidden"; auth: Authenticated }
  | { outcome: "allowed"; auth: Authenticated };

/**
 * Applies a rule to the result of `authenticate`.
 *
 * @example
 * const result = await checkAccess(gatehouse.users, await gatehouse.authenticate(req), { role: "admin" });
 * if (result.outcome !== "allowed") return res.sendStatus(result.outcome === "forbidden" ? 403 : 401);
 */
export async function checkAccess(
  users: Users,
  auth: Authenticated | null,
  rule: AccessRule = {},
): Promise<AccessResult> {
  if (auth === null) return { outcome: "unauthenticated" };
  if (rule.role === "admin" && auth.user.role !== "admin") return { outcome: "forbidden", auth };
  if ((rule.orgs?.length ?? 0) + (rule.teams?.length ?? 0) > 0 && !(await users.meetsMembership(auth.user, rule))) {
    return { outcome: "forbidden", auth };
  }
  return { outcome: "allowed", auth };
}

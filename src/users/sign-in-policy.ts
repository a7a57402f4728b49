/**
 * Who may sign in with GitHub: org and team rules use the membership endpoints (GitHub's
 * `pending` state is an invitation, not membership) and are re-checked at every sign-in.
 */
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { callGitHub } from "./github-failures.js";
import type { GitHubPort } from "./github-port.js";
import type { SignupPolicy } from "./types.js";

/** The sign-in rules. */
export interface SignInPolicy {
  /** `open`: a first sign-in creates the account; `invite`: only accounts an admin created. Default `open`. */
  signup?: SignupPolicy;
  /** When set, the user must be an active member of at least one of these organisations. */
  orgs?: string[];
  /** When set, the user must be an active member of at least one of these teams (`org/team-slug`). */
  teams?: string[];
  /** GitHub logins made admin at their first sign-in. */
  admins?: string[];
}

/**
 * Parses `org/team-slug` into its parts; throws `UsersError("invalid_input")` otherwise.
 *
 * @example
 * parseTeam("acme/devs"); // { org: "acme", team: "devs" }
 */
export function parseTeam(value: string): { org: string; team: string } {
  const m = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(value.trim());
  if (!m || m[1] === undefined || m[2] === undefined) {
    throw new UsersError("invalid_input", `team ${JSON.stringify(value)} must look like org/team-slug`, { field: "teams" });
  }
  return { org: m[1], team: m[2] };
}

/**
 * Checks org and team membership with the user's fresh token. Runs before the sign-in
 * transaction: network calls never hold a database transaction open.
 */
export async function checkMembership(
  ctx: DomainContext,
  github: GitHubPort,
  policy: SignInPolicy,
  accessToken: string,
  login: string,
): Promise<void> {
  const orgs = policy.orgs ?? [];
  if (orgs.length > 0) {
    const states = await Promise.all(orgs.map((org) => callGitHub(() => github.getOrgMembership(accessToken, org))));
    if (!states.some((m) => m?.state === "active")) {
      ctx.log.info({ login }, "sign-in refused: not an active member of a required organisation");
      throw new UsersError("not_in_org", "your GitHub account is not a member of an organisation allowed to sign in");
    }
  }
  const teams = (policy.teams ?? []).map(parseTeam);
  if (teams.length > 0) {
    const states = await Promise.all(teams.map((t) => callGitHub(() => github.getTeamMembership(accessToken, t.org, t.team, login))));
    if (!states.some((m) => m?.state === "active")) {
      ctx.log.info({ login }, "sign-in refused: not an active member of a required team");
      throw new UsersError("not_in_team", "your GitHub account is not a member of a team allowed to sign in");
    }
  }
}

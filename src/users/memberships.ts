/**
 * Org and team membership of a signed-in user, for guards and `/auth/check`. Memberships are not
 * stored: they are asked of GitHub with the user's stored token (so a user removed from an org
 * loses access within `ttlMs`, not at their next sign-in), and cached per user for `ttlMs` so a
 * guarded route costs no GitHub call on most requests. GitHub's `pending` state is an invitation,
 * not membership.
 */
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { callGitHub } from "./github-failures.js";
import type { GitHubPort } from "./github-port.js";
import type { GitHubTokenVault } from "./github-token-vault.js";
import { parseTeam } from "./sign-in-policy.js";

/** What to check: the user must be an active member of at least one of `orgs`, and of at least one of `teams` (`org/team-slug`). */
export interface MembershipRule {
  orgs?: readonly string[] | undefined;
  teams?: readonly string[] | undefined;
}

/** Answers are kept this long by default. */
export const MEMBERSHIP_TTL_MS = 60_000;
/** At most this many cached answers: an old one is dropped first (a bound, not an LRU). */
const MAX_CACHED = 10_000;

/** Checks memberships of linked users with their stored GitHub tokens. */
export class Memberships {
  readonly #cache = new Map<string, { active: boolean; until: number }>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly github: GitHubPort,
    private readonly vault: GitHubTokenVault,
    private readonly ttlMs: number = MEMBERSHIP_TTL_MS,
  ) {}

  /**
   * Whether the user meets the rule. A user without a GitHub link (or whose grant died) meets no
   * org or team rule; GitHub being down is an error (`github_unavailable`...), not a "no".
   */
  async satisfies(userId: number, login: string | null, rule: MembershipRule): Promise<boolean> {
    const orgs = rule.orgs ?? [];
    const teams = (rule.teams ?? []).map(parseTeam);
    if (orgs.length === 0 && teams.length === 0) return true;
    if (login === null) return false;
    let token: Promise<string> | undefined;
    // One token read (and at most one refresh) for all the checks of this call.
    const tokenOnce = () => (token ??= this.vault.get(userId));
    const isActive = (m: { state: string } | null) => m?.state === "active";
    try {
      const orgChecks = orgs.map((org) => [`org:${org.toLowerCase()}`,
        async () => isActive(await callGitHub(async () => this.github.getOrgMembership(await tokenOnce(), org)))] as const);
      if (orgChecks.length > 0 && !(await this.#any(userId, orgChecks))) return false;
      const teamChecks = teams.map((t) => [`team:${t.org.toLowerCase()}/${t.team.toLowerCase()}`,
        async () => isActive(await callGitHub(async () => this.github.getTeamMembership(await tokenOnce(), t.org, t.team, login)))] as const);
      if (teamChecks.length > 0 && !(await this.#any(userId, teamChecks))) return false;
      return true;
    } catch (err) {
      if (err instanceof UsersError && (err.code === "no_github_link" || err.code === "github_reauth_required")) return false;
      throw err;
    }
  }

  /** True when one of the checks is true; cached answers first, then GitHub in parallel. */
  async #any(userId: number, checks: (readonly [string, () => Promise<boolean>])[]): Promise<boolean> {
    const now = this.ctx.now();
    const misses: (readonly [string, () => Promise<boolean>])[] = [];
    for (const check of checks) {
      const hit = this.#cache.get(`${userId}:${check[0]}`);
      if (hit && hit.until > now) {
        if (hit.active) return true;
      } else {
        misses.push(check);
      }
    }
    const answers = await Promise.all(misses.map(async ([key, ask]) => {
      const active = await ask();
      if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value ?? "");
      this.#cache.set(`${userId}:${key}`, { active, until: now + this.ttlMs });
      return active;
    }));
    return answers.some(Boolean);
  }
}

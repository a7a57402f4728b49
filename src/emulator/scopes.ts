/** OAuth-app scopes: parsing, GitHub's normalisation, and what a scope lets a token do. */

// GitHub's documented scopes, each with the narrower scopes it implies
// (https://docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps).
const IMPLIES: Record<string, readonly string[]> = {
  repo: ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
  "repo:status": [],
  repo_deployment: [],
  public_repo: [],
  "repo:invite": [],
  security_events: [],
  "admin:repo_hook": ["write:repo_hook", "read:repo_hook"],
  "write:repo_hook": ["read:repo_hook"],
  "read:repo_hook": [],
  "admin:org": ["write:org", "read:org"],
  "write:org": ["read:org"],
  "read:org": [],
  "admin:public_key": ["write:public_key", "read:public_key"],
  "write:public_key": ["read:public_key"],
  "read:public_key": [],
  "admin:org_hook": [],
  gist: [],
  notifications: [],
  user: ["read:user", "user:email", "user:follow"],
  "read:user": [],
  "user:email": [],
  "user:follow": [],
  project: ["read:project"],
  "read:project": [],
  delete_repo: [],
  "write:packages": ["read:packages"],
  "read:packages": [],
  "delete:packages": [],
  "admin:gpg_key": ["write:gpg_key", "read:gpg_key"],
  "write:gpg_key": ["read:gpg_key"],
  "read:gpg_key": [],
  codespace: ["codespace:secrets"],
  "codespace:secrets": [],
  workflow: [],
  "write:discussion": ["read:discussion"],
  "read:discussion": [],
  "admin:enterprise": ["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise"],
  "manage_runners:enterprise": [],
  "manage_billing:enterprise": [],
  "read:enterprise": [],
  "manage_runners:org": [],
  audit_log: ["read:audit_log"],
  "read:audit_log": [],
  "admin:ssh_signing_key": ["write:ssh_signing_key", "read:ssh_signing_key"],
  "write:ssh_signing_key": ["read:ssh_signing_key"],
  "read:ssh_signing_key": [],
  copilot: [],
  "manage_billing:copilot": [],
  site_admin: [],
};

/** Human descriptions for the consent page. */
const DESCRIPTIONS: Record<string, string> = {
  repo: "Full control of private repositories",
  public_repo: "Access public repositories",
  "read:org": "Read org and team membership, read org projects",
  "write:org": "Read and write org and team membership",
  "admin:org": "Full control of orgs and teams",
  user: "Update ALL user data",
  "read:user": "Read ALL user profile data",
  "user:email": "Access user email addresses (read-only)",
  gist: "Create gists",
  notifications: "Access notifications",
  workflow: "Update GitHub Action workflows",
};

/** Scopes from a request: space-delimited per RFC 6749 §3.3; commas tolerated. */
export function parseScopeParam(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter((s) => s.length > 0);
}

/** True for `offline_access`, which asks for expiring tokens rather than naming a permission. */
export function wantsOfflineAccess(requested: readonly string[]): boolean {
  return requested.includes("offline_access");
}

/**
 * GitHub's normalisation: unknown scopes are dropped, duplicates and scopes implied by another
 * requested scope removed (`user,gist,user:email` → `user,gist`). Order is kept.
 */
export function normalizeScopes(scopes: Iterable<string>): string[] {
  const known = [...new Set(scopes)].filter((s) => s in IMPLIES);
  return known.filter((s) => !known.some((other) => other !== s && (IMPLIES[other] ?? []).includes(s)));
}

/** Whether a token with `granted` may use an endpoint accepting any of `accepted`. */
export function hasAnyScope(granted: readonly string[], accepted: readonly string[]): boolean {
  return accepted.some((a) => granted.includes(a) || granted.some((g) => (IMPLIES[g] ?? []).includes(a)));
}

/**
 * `X-Accepted-OAuth-Scopes` as GitHub writes it: every scope that would let the call through (the
 * accepted ones and those implying them, transitively), sorted — e.g. `read:org` reads
 * `admin:org, read:org, write:org`.
 */
export function acceptedScopesHeader(accepted: readonly string[]): string {
  const all = Object.keys(IMPLIES).filter((s) => hasAnyScope([s], accepted));
  return all.sort().join(", ");
}

/** Whether every scope in `wanted` is already covered by `granted`. */
export function coversScopes(granted: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((w) => hasAnyScope(granted, [w]));
}

/** One line for the consent page. */
export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? scope;
}

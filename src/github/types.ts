/** Public result types of the client. Durations stay in seconds; instants are `Date` (docs/github-protocol.md §13). */

/**
 * What a token endpoint grants (web flow, device flow or refresh).
 *
 * @example
 * ```ts
 * const tokens: TokenSet = await github.exchangeCode({ code, codeVerifier });
 * if (tokens.expiresAt && tokens.expiresAt.getTime() < Date.now()) await github.refreshToken(tokens.refreshToken!);
 * ```
 */
export interface TokenSet {
  /** Opaque; its prefix (`gho_`, `ghu_`) and length are not a contract. */
  accessToken: string;
  /** `bearer`. */
  tokenType: string;
  /** Granted scopes; they may differ from the requested ones. `[]` for GitHub App tokens. */
  scopes: string[];
  /** From `expires_in`, computed at receipt; absent for non-expiring tokens. */
  expiresAt?: Date;
  /** Present for expiring tokens (`ghr_`); rotates on every refresh. */
  refreshToken?: string;
  /** From `refresh_token_expires_in`, computed at receipt. */
  refreshTokenExpiresAt?: Date;
}

/**
 * The signed-in user (`GET {api}/user`). `id` is the stable identity: logins can be renamed and
 * later reused by someone else.
 *
 * @example
 * ```ts
 * const { id, login } = await github.getUser(tokens.accessToken);
 * ```
 */
export interface GitHubUser {
  id: number;
  nodeId: string;
  login: string;
  name: string | null;
  /** The public profile email: null when the user keeps it private. Prefer {@link GitHubIdentity.email}. */
  email: string | null;
  avatarUrl: string;
  htmlUrl: string;
  /** `User`, `Organization` or `Bot`. */
  type: string;
  siteAdmin: boolean;
}

/**
 * One of the user's addresses (`GET {api}/user/emails`, needs `user:email` or `user`).
 *
 * @example
 * ```ts
 * const primary = (await github.getEmails(token)).find((e) => e.primary && e.verified);
 * ```
 */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: "public" | "private" | null;
}

/**
 * Who a token belongs to, revalidated from GitHub.
 *
 * @example
 * ```ts
 * const { user, email, scopes } = await github.getIdentity(tokens.accessToken);
 * ```
 */
export interface GitHubIdentity {
  user: GitHubUser;
  /** The primary address, only if verified; else null (also null when the token may not read emails). */
  email: string | null;
  /** The token's scopes (`X-OAuth-Scopes`); `[]` when GitHub sends none (GitHub App tokens). */
  scopes: string[];
}

/**
 * A device-flow authorisation in progress (RFC 8628 §3.2). Show `userCode` and `verificationUri`.
 *
 * @example
 * ```ts
 * const device = await github.requestDeviceCode();
 * console.log(`Open ${device.verificationUri} and enter ${device.userCode}`);
 * ```
 */
export interface DeviceCode {
  /** Secret: never show or log it. */
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** Sent by some servers (RFC 8628 §3.2); GitHub does not. */
  verificationUriComplete?: string;
  /** Local deadline computed from `expires_in` at receipt; polling stops there. */
  expiresAt: Date;
  /** Seconds to wait between polls (5 when GitHub sends none). */
  interval: number;
}

/**
 * Token details from `POST {api}/applications/{client_id}/token`.
 *
 * @example
 * ```ts
 * const info = await github.checkToken(token); // null: GitHub does not know the token
 * ```
 */
export interface TokenInfo {
  scopes: string[];
  expiresAt?: Date;
  /**
   * The token's owner (GitHub's simple-user: `name`/`email` are null when omitted); null when
   * GitHub's answer names none (its description marks the field nullable).
   */
  user: GitHubUser | null;
}

/**
 * An organisation the user belongs to (`GET {api}/user/orgs`).
 *
 * @example
 * ```ts
 * const logins = (await github.listOrgs(token)).map((o) => o.login);
 * ```
 */
export interface GitHubOrg {
  id: number;
  login: string;
  nodeId: string | null;
  avatarUrl: string | null;
  description: string | null;
}

/**
 * Membership in an organisation. `pending` (invited, not accepted) is not membership.
 *
 * @example
 * ```ts
 * const m = await github.getOrgMembership(token, "acme");
 * const member = m?.state === "active";
 * ```
 */
export interface OrgMembership {
  state: "active" | "pending";
  role: "admin" | "member" | "billing_manager";
}

/**
 * Membership in a team.
 *
 * @example
 * ```ts
 * const m = await github.getTeamMembership(token, "acme", "admins", "octocat");
 * ```
 */
export interface TeamMembership {
  state: "active" | "pending";
  role: "member" | "maintainer";
}

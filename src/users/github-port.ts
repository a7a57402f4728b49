/**
 * What the domain needs from GitHub, and the one error type it sees from it. `src/github`'s
 * `GitHubOAuth` satisfies the port through {@link fromGitHubOAuth}, which also translates every
 * error of the client into a {@link GitHubPortError}: the domain imports no class from
 * `../github/` and depends on no more of the client than this file names.
 */
import {
  GitHubApiError,
  GitHubError,
  GitHubNetworkError,
  GitHubOAuthError,
  type DeviceCode,
  type GitHubIdentity,
  type GitHubOAuth,
  type OrgMembership,
  type TeamMembership,
  type TokenSet,
} from "../github/index.js";

export type { DeviceCode, GitHubIdentity, OrgMembership, TeamMembership, TokenSet };

/**
 * What the domain tells apart in a failed GitHub call. A closed set: a GitHub code the domain has
 * no use for arrives as `oauth_error` or `refused`, with GitHub's own code in `detail`.
 */
export type GitHubPortErrorCode =
  /** Device flow: the user has not finished yet. */
  | "authorization_pending"
  /** Device flow: polling too fast; `interval` is the new interval when GitHub sent one. */
  | "slow_down"
  /** Device flow: the device code expired or GitHub does not know it. */
  | "expired"
  /** The user refused or cancelled the authorization. */
  | "access_denied"
  /** The refresh token is wrong, expired or already spent: the grant is over. */
  | "bad_refresh_token"
  /** The authorization code is wrong, expired or already used. */
  | "invalid_code"
  /** The callback's `state` is not this sign-in's. */
  | "state_mismatch"
  /** The callback's `iss` names another issuer. */
  | "issuer_mismatch"
  /** The callback carried no code. */
  | "missing_code"
  /** GitHub requires a verified primary email before authorizing. */
  | "unverified_email"
  /** Another OAuth error from GitHub; `detail` carries GitHub's `error`. */
  | "oauth_error"
  /** GitHub's API refused the request (bad credentials, forbidden, not found, invalid); `detail` says which. */
  | "refused"
  /** GitHub's rate limit; `retryAfter` in seconds when known. */
  | "rate_limited"
  /** GitHub answered, but not properly (5xx, an unreadable answer). */
  | "unavailable"
  /** GitHub could not be reached (DNS, connection, TLS), or the call was aborted. */
  | "unreachable"
  /** GitHub did not answer in time. */
  | "timeout"
  /** The client was called wrongly: a bug on our side, not a GitHub failure. */
  | "misuse";

/**
 * A failed GitHub call as the domain sees it. The message is the client's (it never carries a
 * secret, token or code); `cause` keeps the client's error for logs.
 *
 * @example
 * ```ts
 * try { await github.pollDeviceTokenOnce(deviceCode); }
 * catch (err) { if (err instanceof GitHubPortError && err.code === "authorization_pending") return pending(); throw err; }
 * ```
 */
export class GitHubPortError extends Error {
  override readonly name = "GitHubPortError";
  readonly code: GitHubPortErrorCode;
  /** GitHub's own code: its OAuth `error` for OAuth failures, the API error code for `refused`. */
  readonly detail: string | undefined;
  /** `slow_down`: the new polling interval in seconds, when GitHub sent one. */
  readonly interval: number | undefined;
  /** `rate_limited`: seconds to wait, when GitHub said. */
  readonly retryAfter: number | undefined;

  constructor(
    code: GitHubPortErrorCode,
    message: string,
    options: { cause?: unknown; detail?: string | undefined; interval?: number | undefined; retryAfter?: number | undefined } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.detail = options.detail;
    this.interval = options.interval;
    this.retryAfter = options.retryAfter;
  }
}

/** The GitHub operations the users domain calls. Each rejects with a {@link GitHubPortError}. */
export interface GitHubPort {
  createAuthorizationUrl(options: {
    state?: string;
    codeVerifier?: string;
    scopes?: readonly string[];
    redirectUri?: string;
  }): Promise<{ url: URL; state: string; codeVerifier: string }>;
  /** Checks `error`, `state`, `iss` and `code` of a callback, then exchanges the code. */
  handleCallback(
    input: URLSearchParams,
    expected: { state: string; codeVerifier: string; redirectUri?: string },
  ): Promise<TokenSet>;
  getIdentity(token: string): Promise<GitHubIdentity>;
  /** Rejects with `bad_refresh_token` when the grant is over. */
  refreshToken(refreshToken: string): Promise<TokenSet>;
  getOrgMembership(token: string, org: string): Promise<OrgMembership | null>;
  getTeamMembership(token: string, org: string, teamSlug: string, username: string): Promise<TeamMembership | null>;
  requestDeviceCode(options?: { scopes?: string[] }): Promise<DeviceCode>;
  /**
   * One token request with the device grant (no loop: the server polls once per client poll).
   * Rejects with `authorization_pending`, `slow_down` (with `interval`), `expired`, `access_denied`, …
   */
  pollDeviceTokenOnce(deviceCode: string): Promise<TokenSet>;
}

function fromOAuthError(err: GitHubOAuthError): GitHubPortError {
  const as = (code: GitHubPortErrorCode): GitHubPortError => new GitHubPortError(code, err.message, { cause: err, detail: err.code });
  switch (err.code) {
    case "authorization_pending":
      return as("authorization_pending");
    case "slow_down":
      return new GitHubPortError("slow_down", err.message, { cause: err, detail: err.code, interval: err.interval });
    case "expired_token":
    case "incorrect_device_code":
      return as("expired");
    case "access_denied":
      return as("access_denied");
    case "bad_refresh_token":
      return as("bad_refresh_token");
    case "bad_verification_code":
      return as("invalid_code");
    case "state_mismatch":
      return as("state_mismatch");
    case "issuer_mismatch":
      return as("issuer_mismatch");
    case "missing_code":
      return as("missing_code");
    case "unverified_user_email":
      return as("unverified_email");
    case "server_error":
    case "invalid_response":
      return as("unavailable");
    default:
      return as("oauth_error");
  }
}

function fromApiError(err: GitHubApiError): GitHubPortError {
  switch (err.code) {
    case "rate_limited":
    case "secondary_rate_limit":
      return new GitHubPortError("rate_limited", err.message, { cause: err, retryAfter: err.retryAfter });
    case "bad_credentials":
    case "forbidden":
    case "not_found":
    case "validation_failed":
      return new GitHubPortError("refused", err.message, { cause: err, detail: err.code });
    case "server_error":
    case "unexpected_status":
    case "invalid_response":
      return new GitHubPortError("unavailable", err.message, { cause: err });
  }
}

/** Any error of the GitHub client as a {@link GitHubPortError}; anything else passes unchanged. */
function toPortError(err: unknown): unknown {
  if (err instanceof GitHubOAuthError) return fromOAuthError(err);
  if (err instanceof GitHubApiError) return fromApiError(err);
  if (err instanceof GitHubNetworkError) return new GitHubPortError(err.code === "timeout" ? "timeout" : "unreachable", err.message, { cause: err });
  if (err instanceof GitHubError) return new GitHubPortError("misuse", err.message, { cause: err });
  return err;
}

async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toPortError(err);
  }
}

/**
 * Adapts `GitHubOAuth` to {@link GitHubPort}, translating its errors.
 *
 * @example
 * ```ts
 * const users = new Users({ store, github: fromGitHubOAuth(new GitHubOAuth({ clientId, clientSecret })), ... });
 * ```
 */
export function fromGitHubOAuth(client: GitHubOAuth): GitHubPort {
  return {
    createAuthorizationUrl: (options) => translated(() => client.createAuthorizationUrl(options)),
    handleCallback: (input, expected) => translated(() => client.handleCallback(input, expected)),
    getIdentity: (token) => translated(() => client.getIdentity(token)),
    refreshToken: (refreshToken) => translated(() => client.refreshToken(refreshToken)),
    getOrgMembership: (token, org) => translated(() => client.getOrgMembership(token, org)),
    getTeamMembership: (token, org, team, username) => translated(() => client.getTeamMembership(token, org, team, username)),
    requestDeviceCode: (options) => translated(() => client.requestDeviceCode(options)),
    pollDeviceTokenOnce: (deviceCode) => translated(() => client.pollDeviceTokenOnce(deviceCode)),
  };
}

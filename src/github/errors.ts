/**
 * The errors the client throws. Every error has a stable `code` to `switch` on, `name` set, and the
 * underlying failure as `cause`. Messages never carry a secret, token, code or PKCE verifier.
 */

/**
 * `error` values GitHub's OAuth endpoints send (docs/github-protocol.md §3–§5).
 *
 * @example
 * ```ts
 * const retryable: GitHubOAuthErrorFromGitHub[] = ["authorization_pending", "slow_down"];
 * ```
 */
export type GitHubOAuthErrorFromGitHub =
  | "access_denied"
  | "application_suspended"
  | "redirect_uri_mismatch"
  | "incorrect_client_credentials"
  | "bad_verification_code"
  | "unverified_user_email"
  | "bad_refresh_token"
  | "authorization_pending"
  | "slow_down"
  | "expired_token"
  | "incorrect_device_code"
  | "unsupported_grant_type"
  | "device_flow_disabled"
  | "unauthorized_client";

/**
 * Codes of {@link GitHubOAuthError}: GitHub's own `error` strings, plus ours. `string & {}` keeps
 * codes GitHub may add later (we pass them through unchanged rather than hide them).
 *
 * @example
 * ```ts
 * switch ((err as GitHubOAuthError).code) { case "access_denied": return cancelled(); case "state_mismatch": return restart(); }
 * ```
 */
export type GitHubOAuthErrorCode =
  | GitHubOAuthErrorFromGitHub
  | "state_mismatch"
  | "issuer_mismatch"
  | "missing_code"
  | "invalid_response"
  | "server_error"
  | (string & {});

/**
 * Codes of {@link GitHubApiError}.
 *
 * @example
 * ```ts
 * if (err instanceof GitHubApiError && err.code === "bad_credentials") await signOut();
 * ```
 */
export type GitHubApiErrorCode =
  | "bad_credentials"
  | "rate_limited"
  | "secondary_rate_limit"
  | "not_found"
  | "forbidden"
  | "validation_failed"
  | "server_error"
  | "unexpected_status"
  | "invalid_response";

/**
 * Codes of {@link GitHubNetworkError}.
 *
 * @example
 * ```ts
 * if (err instanceof GitHubNetworkError && err.code !== "aborted") retryLater();
 * ```
 */
export type GitHubNetworkErrorCode = "timeout" | "network" | "aborted";

/**
 * Codes of {@link GitHubUsageError}.
 *
 * @example
 * ```ts
 * if (err instanceof GitHubUsageError && err.code === "client_secret_required") configure();
 * ```
 */
export type GitHubUsageErrorCode = "invalid_option" | "invalid_argument" | "client_secret_required";

/**
 * Base class of every error thrown by `gatehouse/github`.
 *
 * @example
 * ```ts
 * try { await github.getUser(token); }
 * catch (err) { if (err instanceof GitHubError) console.warn(err.code); else throw err; }
 * ```
 */
export abstract class GitHubError extends Error {
  /** Stable, machine-readable reason. */
  abstract readonly code: string;
}

/**
 * GitHub rate-limit headers of a response (docs/github-protocol.md §9).
 *
 * @example
 * ```ts
 * if (err instanceof GitHubApiError && err.rateLimit) console.log(`resets at ${err.rateLimit.reset.toISOString()}`);
 * ```
 */
export interface RateLimit {
  limit: number;
  remaining: number;
  /** When the window resets (`x-ratelimit-reset`, epoch seconds). */
  reset: Date;
  /** `x-ratelimit-resource`, e.g. `core`; `""` when absent. */
  resource: string;
}

const MAX_TEXT = 300;

/** Text that came from GitHub (or a callback URL) made safe to put in a message: one line, bounded. */
function safeText(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}

/**
 * An OAuth failure: GitHub's `error` (from a callback or a token/device endpoint, whatever the HTTP
 * status), or one of our checks (`state_mismatch`, `issuer_mismatch`, `missing_code`,
 * `invalid_response`, `server_error`).
 *
 * @example
 * ```ts
 * try { await github.handleCallback(url, tx); }
 * catch (err) {
 *   if (err instanceof GitHubOAuthError && err.code === "access_denied") return showCancelled();
 *   throw err;
 * }
 * ```
 */
export class GitHubOAuthError extends GitHubError {
  override readonly name = "GitHubOAuthError";
  readonly code: GitHubOAuthErrorCode;
  /** GitHub's `error_description`, when sent. */
  readonly description: string | undefined;
  /** GitHub's `error_uri`, when sent (it has changed over the years: do not depend on it). */
  readonly uri: string | undefined;
  /** HTTP status of the response, when the error came from one (GitHub uses 200 for most). */
  readonly status: number | undefined;
  /** `slow_down` only: the new polling interval in seconds, when GitHub sent one. */
  readonly interval: number | undefined;

  constructor(
    code: GitHubOAuthErrorCode,
    init: { description?: string | undefined; uri?: string | undefined; status?: number | undefined; interval?: number | undefined; message?: string; cause?: unknown } = {},
  ) {
    const description = init.description === undefined ? undefined : safeText(init.description);
    // `code` can come from a callback URL anyone can forge: one bounded line in the message.
    super(init.message ?? `GitHub OAuth error ${safeText(code)}${description ? `: ${description}` : ""}`, { cause: init.cause });
    this.code = code;
    this.description = description;
    this.uri = init.uri;
    this.status = init.status;
    this.interval = init.interval;
  }
}

/**
 * A failed REST API call (`{api}/user`, `/user/emails`, orgs, `/applications/...`).
 *
 * @example
 * ```ts
 * catch (err) {
 *   if (err instanceof GitHubApiError && err.code === "secondary_rate_limit") await wait(err.retryAfter);
 * }
 * ```
 */
export class GitHubApiError extends GitHubError {
  override readonly name = "GitHubApiError";
  readonly code: GitHubApiErrorCode;
  /** HTTP status (the 2xx status for `invalid_response`). */
  readonly status: number;
  /** GitHub's `message`, when the body had one. */
  readonly githubMessage: string | undefined;
  /** The rate-limit headers of the response, when all were present. */
  readonly rateLimit: RateLimit | undefined;
  /** Seconds to wait before retrying: set for `rate_limited` and `secondary_rate_limit`, and for any error whose response sent `retry-after`. */
  readonly retryAfter: number | undefined;
  /** `X-GitHub-SSO` header: the organisation needs SAML SSO authorisation of this token. */
  readonly sso: string | undefined;

  constructor(
    code: GitHubApiErrorCode,
    init: {
      status: number;
      operation: string;
      githubMessage?: string | undefined;
      rateLimit?: RateLimit | undefined;
      retryAfter?: number | undefined;
      sso?: string | undefined;
      detail?: string;
      cause?: unknown;
    },
  ) {
    const githubMessage = init.githubMessage === undefined ? undefined : safeText(init.githubMessage);
    const why = init.detail ?? githubMessage;
    super(`GitHub API ${init.operation} failed (${init.status} ${code})${why ? `: ${why}` : ""}`, { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.githubMessage = githubMessage;
    this.rateLimit = init.rateLimit;
    this.retryAfter = init.retryAfter;
    this.sso = init.sso;
  }
}

/**
 * GitHub could not be reached: `timeout` (the request's time limit, default 10 s), `network`
 * (DNS, TLS, connection reset…) or `aborted` (the caller's `AbortSignal`).
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof GitHubNetworkError && err.code === "timeout") return retryLater(); }
 * ```
 */
export class GitHubNetworkError extends GitHubError {
  override readonly name = "GitHubNetworkError";
  readonly code: GitHubNetworkErrorCode;

  constructor(code: GitHubNetworkErrorCode, operation: string, cause?: unknown) {
    const what = code === "timeout" ? "timed out" : code === "aborted" ? "was aborted" : "could not reach GitHub";
    super(`GitHub request ${operation} ${what}`, { cause });
    this.code = code;
  }
}

/**
 * The client was called wrongly: a bad constructor option, a bad argument, or a call that needs
 * `clientSecret` on a client without one. A programming error, not a GitHub failure.
 *
 * @example
 * ```ts
 * new GitHubOAuth({ clientId: "" }); // throws GitHubUsageError, code "invalid_option"
 * ```
 */
export class GitHubUsageError extends GitHubError {
  override readonly name = "GitHubUsageError";
  readonly code: GitHubUsageErrorCode;

  constructor(code: GitHubUsageErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

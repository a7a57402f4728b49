/** Errors of the users domain. Callers (the server, the CLI) switch on `code`. */

/** Stable codes of {@link UsersError}. */
export type UsersErrorCode =
  /** A value failed validation; `field` names it. */
  | "invalid_input"
  | "not_found"
  | "unauthenticated"
  | "forbidden"
  /** Unknown user or wrong password: deliberately the same code for both. */
  | "invalid_credentials"
  | "rate_limited"
  | "username_taken"
  | "github_login_taken"
  | "account_disabled"
  | "last_admin"
  /** Sign-in policy: signup is invite-only and this GitHub account (or provider identity) was not invited. */
  | "not_invited"
  | "not_in_org"
  | "not_in_team"
  /** No OAuth transaction for this browser, or its `state` differs (login CSRF, replay, other browser). */
  | "invalid_state"
  | "transaction_expired"
  | "issuer_mismatch"
  | "missing_code"
  /** GitHub refused the code (`bad_verification_code`: wrong, used or expired). */
  | "invalid_code"
  | "access_denied"
  /** GitHub refuses to authorize an account without a verified primary email (`unverified_user_email`). */
  | "unverified_email"
  /** GitHub answered with an OAuth error not listed above (`detail` carries GitHub's code). */
  | "github_error"
  /** GitHub failed (5xx, unreadable answer, network). */
  | "github_unavailable"
  | "github_timeout"
  | "github_rate_limited"
  | "device_login_expired"
  | "device_login_denied"
  | "no_github_link"
  /** The stored GitHub grant is dead (`bad_refresh_token`); the user must sign in with GitHub again. */
  | "github_reauth_required"
  /** Setting a first password needs a session opened in the last few minutes (a fresh sign-in). */
  | "recent_sign_in_required"
  /** No sign-in provider of that name is configured. */
  | "unknown_provider"
  /** A generic provider answered with an OAuth error not listed above (`detail` carries its code). */
  | "provider_error"
  /** A generic provider could not be reached, or did not answer properly. */
  | "provider_unavailable"
  /** A provider's ID token failed a check (signature, `aud`, `nonce`...; `detail` says which). */
  | "invalid_id_token"
  /** Linking: that identity (GitHub account or provider subject) belongs to another account. */
  | "identity_taken"
  /** Linking: this account already has another identity of that provider; unlink it first. */
  | "already_linked"
  /** Unlinking would leave the account with no way to sign in. */
  | "last_sign_in_method";

/**
 * A domain failure with a stable code and a message safe to show to the user (no secrets).
 *
 * @example
 * try { await users.signInWithPassword("alice", password, { address: "203.0.113.7" }); }
 * catch (err) { if (err instanceof UsersError && err.code === "rate_limited") console.log(err.retryAfter); }
 */
export class UsersError extends Error {
  override readonly name = "UsersError";
  readonly code: UsersErrorCode;
  /** For `invalid_input`: the offending field. */
  readonly field: string | undefined;
  /** For rate limits: seconds to wait before trying again. */
  readonly retryAfter: number | undefined;
  /** Extra machine-readable detail (e.g. GitHub's own error code for `github_error`). */
  readonly detail: string | undefined;

  constructor(
    code: UsersErrorCode,
    message: string,
    options: { field?: string; retryAfter?: number; detail?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.retryAfter = options.retryAfter;
    this.detail = options.detail;
  }
}

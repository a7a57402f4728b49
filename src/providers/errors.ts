/** The one error type of `src/providers`. */

/** Stable codes of {@link ProviderError}. A closed set. */
export type ProviderErrorCode =
  /** The user refused or cancelled at the provider (`error=access_denied`). */
  | "access_denied"
  /** Another OAuth error in the callback or from the token endpoint; `detail` carries the provider's `error`. */
  | "oauth_error"
  /** The callback's `state` is not this sign-in's. */
  | "state_mismatch"
  /** The callback's `iss` (RFC 9207), or the discovery document's or ID token's issuer, is not the configured issuer. */
  | "issuer_mismatch"
  /** The callback carried no code. */
  | "missing_code"
  /** The token endpoint refused the code (`invalid_grant`: wrong, used or expired). */
  | "invalid_code"
  /** The ID token failed a check (signature, `aud`, `azp`, `exp`, `iat`, `nonce`...); `detail` says which. */
  | "invalid_id_token"
  /** The provider answered, but not properly (5xx, bad JSON, a missing field, userinfo `sub` mismatch). */
  | "invalid_response"
  /** The provider could not be reached, or did not answer in time. */
  | "unavailable";

/**
 * A failed provider call. The message never carries a secret, token, code or verifier.
 *
 * @example
 * try { await provider.complete(params, tx); }
 * catch (err) { if (err instanceof ProviderError && err.code === "access_denied") showRetry(); }
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly code: ProviderErrorCode;
  /** The provider's own code or the failed check, when there is one. */
  readonly detail: string | undefined;

  constructor(code: ProviderErrorCode, message: string, options: { detail?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options.detail;
  }
}

/** Stable codes of {@link ProviderConfigError}. A closed set. */
export type ProviderConfigErrorCode =
  /** Not JSON, or not an array of objects. */
  | "invalid_json"
  /** A required field is absent or empty. */
  | "missing_value"
  /** A field has the wrong type or form (a URL not https, a name not `[a-z0-9-]`...). */
  | "invalid_value"
  /** Two entries share a name. */
  | "duplicate_name"
  /** A name that is a route of the service or GitHub's. */
  | "reserved_name";

/**
 * A provider list (`GATEHOUSE_OAUTH_PROVIDERS`) or provider settings that cannot be used. The
 * message names the entry (index and name) and the field, never a secret's value.
 *
 * @example
 * try { parseProviderList(text, { signup: "open" }); }
 * catch (err) { if (err instanceof ProviderConfigError) console.error(err.message); } // entry 2 ("gitlab"): client_id is required
 */
export class ProviderConfigError extends Error {
  override readonly name = "ProviderConfigError";
  readonly code: ProviderConfigErrorCode;
  /** The field at fault (`client_id`, `issuer`...), when one is. */
  readonly field: string | undefined;

  constructor(code: ProviderConfigErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

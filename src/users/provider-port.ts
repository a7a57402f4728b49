/**
 * What the domain needs from the generic sign-in providers (`src/providers`), and the one place
 * that sees their error type: the only file of `src/users` that imports from `../providers/`. It
 * re-exports the contract's types and translates every `ProviderError` into a `UsersError` with a
 * stable code and a message that names the provider but never a secret.
 */
import { PROVIDER_NAME_PATTERN, ProviderError, RESERVED_PROVIDER_NAMES } from "../providers/index.js";
import type { ProviderIdentity, ProviderSettings, ProviderSignup, SignInProvider } from "../providers/index.js";
import { UsersError } from "./errors.js";

export type { ProviderIdentity, ProviderSettings, ProviderSignup, SignInProvider };
/** The names a provider may take (one rule for configuration and the domain). */
export { PROVIDER_NAME_PATTERN, RESERVED_PROVIDER_NAMES };

/**
 * Maps a failure of a provider call. Anything but a `ProviderError` passes through unchanged (a
 * bug or a database failure is not the provider's).
 *
 * @example
 * try { await provider.complete(params, tx); } catch (err) { throw fromProviderFailure(err, "GitLab"); }
 */
export function fromProviderFailure(err: unknown, displayName: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  const cause = { cause: err };
  switch (err.code) {
    case "access_denied":
      return new UsersError("access_denied", `the ${displayName} authorization was denied`, cause);
    case "state_mismatch":
      return new UsersError("invalid_state", "the sign-in could not be matched to this browser; start again", cause);
    case "issuer_mismatch":
      return new UsersError("issuer_mismatch", `the answer did not come from the ${displayName} issuer this service uses`, cause);
    case "missing_code":
      return new UsersError("missing_code", `${displayName}'s callback carried no authorization code`, cause);
    case "invalid_code":
      return new UsersError("invalid_code", "the authorization code is invalid, expired or already used; start again", cause);
    case "invalid_id_token":
      return new UsersError("invalid_id_token", `${displayName}'s ID token failed a check (${err.detail ?? "unknown"}); start again`, {
        cause: err, detail: err.detail ?? "unknown",
      });
    case "oauth_error": {
      const detail = err.detail ?? "unknown";
      return new UsersError("provider_error", `${displayName} refused the sign-in (${detail})`, { cause: err, detail });
    }
    case "invalid_response":
      return new UsersError("provider_unavailable", `${displayName} did not answer properly; try again later`, cause);
    case "unavailable":
      return new UsersError("provider_unavailable", `${displayName} could not be reached; try again later`, cause);
  }
}

/** Runs a provider call and maps its failure. */
export async function callProvider<T>(displayName: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromProviderFailure(err, displayName);
  }
}

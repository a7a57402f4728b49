/** Turns the GitHub port's errors into domain errors with a stable code and a safe message. */
import { UsersError } from "./errors.js";
import { GitHubPortError } from "./github-port.js";

/**
 * Maps a failure of a GitHub call. Anything but a {@link GitHubPortError} passes through unchanged
 * (bugs or database failures, not GitHub's), and so does `misuse`: a bug in how we call GitHub.
 */
export function fromGitHubFailure(err: unknown): unknown {
  if (!(err instanceof GitHubPortError)) return err;
  const cause = { cause: err };
  switch (err.code) {
    case "state_mismatch":
      return new UsersError("invalid_state", "the sign-in could not be matched to this browser; start again", cause);
    case "issuer_mismatch":
      return new UsersError("issuer_mismatch", "the authorization response came from an unexpected issuer", cause);
    case "missing_code":
      return new UsersError("missing_code", "GitHub's callback carried no authorization code", cause);
    case "invalid_code":
      return new UsersError("invalid_code", "the authorization code is invalid, expired or already used; start again", cause);
    case "access_denied":
      return new UsersError("access_denied", "the GitHub authorization was denied", cause);
    case "unverified_email":
      return new UsersError("unverified_email", "GitHub requires a verified primary email on your account before you can sign in", cause);
    case "rate_limited":
      return new UsersError("github_rate_limited", "GitHub's rate limit was reached; try again later", { cause: err, retryAfter: err.retryAfter ?? 60 });
    case "refused":
      return new UsersError("github_error", `GitHub refused a request (${err.detail ?? "unknown"})`, { cause: err, detail: err.detail ?? "unknown" });
    case "timeout":
      return new UsersError("github_timeout", "GitHub did not answer in time; try again later", cause);
    case "unavailable":
      return new UsersError("github_unavailable", "GitHub did not answer properly; try again later", cause);
    case "unreachable":
      return new UsersError("github_unavailable", "GitHub could not be reached; try again later", cause);
    case "misuse":
      return err;
    // Device-flow and refresh outcomes reach here only outside their own flow: GitHub refused.
    case "authorization_pending":
    case "slow_down":
    case "expired":
    case "bad_refresh_token":
    case "oauth_error": {
      const detail = err.detail ?? err.code;
      return new UsersError("github_error", `GitHub refused the sign-in (${detail})`, { cause: err, detail });
    }
  }
}

/** Runs a GitHub call and maps its failure. */
export async function callGitHub<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromGitHubFailure(err);
  }
}

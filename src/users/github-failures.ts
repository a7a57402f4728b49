/** Turns the GitHub client's errors into domain errors with a stable code and a safe message. */
import { GitHubApiError, GitHubNetworkError, GitHubOAuthError } from "../github/index.js";
import { UsersError } from "./errors.js";

/**
 * Maps a failure of a GitHub call. Non-GitHub errors pass through unchanged (they are bugs or
 * database failures, not GitHub's).
 */
export function fromGitHubFailure(err: unknown): unknown {
  if (err instanceof UsersError) return err;
  if (err instanceof GitHubOAuthError) {
    switch (err.code) {
      case "state_mismatch":
        return new UsersError("invalid_state", "the sign-in could not be matched to this browser; start again", { cause: err });
      case "issuer_mismatch":
        return new UsersError("issuer_mismatch", "the authorization response came from an unexpected issuer", { cause: err });
      case "missing_code":
        return new UsersError("missing_code", "GitHub's callback carried no authorization code", { cause: err });
      case "bad_verification_code":
        return new UsersError("invalid_code", "the authorization code is invalid, expired or already used; start again", { cause: err });
      case "access_denied":
        return new UsersError("access_denied", "the GitHub authorization was denied", { cause: err });
      case "unverified_user_email":
        return new UsersError("unverified_email", "GitHub requires a verified primary email on your account before you can sign in", { cause: err });
      case "server_error":
      case "invalid_response":
        return new UsersError("github_unavailable", "GitHub's sign-in service did not answer properly; try again later", { cause: err });
      default:
        return new UsersError("github_error", `GitHub refused the sign-in (${err.code})`, { cause: err, detail: err.code });
    }
  }
  if (err instanceof GitHubApiError) {
    switch (err.code) {
      case "rate_limited":
      case "secondary_rate_limit":
        return new UsersError("github_rate_limited", "GitHub's rate limit was reached; try again later", {
          cause: err,
          retryAfter: err.retryAfter ?? 60,
        });
      case "bad_credentials":
      case "forbidden":
      case "not_found":
      case "validation_failed":
        return new UsersError("github_error", `GitHub refused a request (${err.code})`, { cause: err, detail: err.code });
      default:
        return new UsersError("github_unavailable", "GitHub did not answer properly; try again later", { cause: err });
    }
  }
  if (err instanceof GitHubNetworkError) {
    return err.code === "timeout"
      ? new UsersError("github_timeout", "GitHub did not answer in time; try again later", { cause: err })
      : new UsersError("github_unavailable", "GitHub could not be reached; try again later", { cause: err });
  }
  return err;
}

/** Runs a GitHub call and maps its failure. */
export async function callGitHub<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromGitHubFailure(err);
  }
}

/**
 * The one mapping from error codes to HTTP statuses, for the API's problem responses and for the
 * pages alike: a code answers with the same status wherever it is met.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { UsersErrorCode } from "../users/index.js";
import type { HttpProblemCode } from "./problem.js";

/** Every code a problem response (or an error page) may carry. */
export type ProblemCode = UsersErrorCode | HttpProblemCode;

const STATUS: Record<ProblemCode, ContentfulStatusCode> = {
  // The domain's codes.
  invalid_input: 400,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  invalid_credentials: 401,
  rate_limited: 429,
  username_taken: 409,
  github_login_taken: 409,
  account_disabled: 403,
  last_admin: 409,
  not_invited: 403,
  not_in_org: 403,
  not_in_team: 403,
  invalid_state: 400,
  transaction_expired: 400,
  issuer_mismatch: 400,
  missing_code: 400,
  invalid_code: 400,
  access_denied: 403,
  unverified_email: 403,
  github_error: 502,
  github_unavailable: 502,
  github_timeout: 503,
  github_rate_limited: 503,
  device_login_expired: 400,
  device_login_denied: 403,
  no_github_link: 404,
  github_reauth_required: 409,
  recent_sign_in_required: 403,
  provider_error: 502,
  provider_unavailable: 502,
  invalid_id_token: 400,
  identity_taken: 409,
  already_linked: 409,
  last_sign_in_method: 409,
  // The HTTP layer's own.
  origin_mismatch: 403,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unknown_provider: 404,
  invalid_redirect_uri: 400,
  internal_error: 500,
  database_unavailable: 503,
};

/**
 * The HTTP status for a code.
 *
 * @example
 * httpStatusFor("username_taken"); // 409
 */
export function httpStatusFor(code: ProblemCode): ContentfulStatusCode {
  return STATUS[code];
}

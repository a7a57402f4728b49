/**
 * Errors as RFC 9457 problem details (`application/problem+json`) with a stable `code`, and the
 * mapping from domain codes to HTTP statuses. Never a stack trace.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { UsersError } from "../users/index.js";
import type { UsersErrorCode } from "../users/index.js";
import type { AppEnv, ServerVariables } from "./env.js";

/** Codes the HTTP layer adds to the domain's. */
export type ServerProblemCode =
  | "unauthenticated"
  | "forbidden"
  | "origin_mismatch"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "unknown_provider"
  | "invalid_redirect_uri"
  | "not_found"
  | "internal_error"
  | "database_unavailable";

/** Every code a problem response may carry. */
export type ProblemCode = UsersErrorCode | ServerProblemCode;

const statusOf: Record<UsersErrorCode, ContentfulStatusCode> = {
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
};

/** The HTTP status for a domain error code. */
export function httpStatusFor(code: UsersErrorCode): ContentfulStatusCode {
  return statusOf[code];
}

/** Extra members of a problem body. */
export interface ProblemExtras {
  field?: string | undefined;
  retryAfter?: number | undefined;
}

/**
 * Sends a problem+json response.
 *
 * @example
 * return problem(c, 401, "unauthenticated", "sign in first");
 */
export function problem(c: Context, status: ContentfulStatusCode, code: ProblemCode, detail: string, extras: ProblemExtras = {}): Response {
  const body: Record<string, unknown> = { type: "about:blank", title: code.replace(/_/g, " "), status, code, detail };
  if (extras.field !== undefined) body["field"] = extras.field;
  const headers: Record<string, string> = { "content-type": "application/problem+json", "cache-control": "no-store" };
  if (extras.retryAfter !== undefined) {
    body["retry_after"] = extras.retryAfter;
    headers["retry-after"] = String(extras.retryAfter);
  }
  return c.body(JSON.stringify(body), status, headers);
}

/** Sends the problem for a domain error. */
function usersProblem(c: Context, err: UsersError): Response {
  return problem(c, httpStatusFor(err.code), err.code, err.message, { field: err.field, retryAfter: err.retryAfter });
}

/** A thrown error the routes want answered as a problem (for codes the domain does not have). */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ServerProblemCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** `app.onError`: domain and HTTP problems become their responses; anything else a logged 500. */
export function errorToResponse(err: unknown, c: Context<AppEnv>): Response {
  if (err instanceof UsersError) return usersProblem(c, err);
  if (err instanceof HttpProblem) return problem(c, err.status, err.code, err.message, { field: err.field });
  // The logger is set by the first middleware; an error before it still gets a clean 500.
  const log: ServerVariables["log"] | undefined = c.get("log");
  log?.error({ err }, "unhandled error");
  return problem(c, 500, "internal_error", "something went wrong on our side");
}

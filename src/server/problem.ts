/**
 * Errors as RFC 9457 problem details (`application/problem+json`) with a stable `code`, never a
 * stack trace. The status of each code comes from `http-status.ts`.
 */
import type { Context } from "hono";
import { UsersError } from "../users/index.js";
import type { AppEnv } from "./env.js";
import { requestLog } from "./logger.js";
import { httpStatusFor } from "./http-status.js";
import { DATABASE_RETRY_AFTER_S } from "./database-health.js";
import type { DatabaseHealth } from "./database-health.js";
import type { ProblemCode } from "./http-status.js";

/** Codes only the HTTP layer can have (the domain's codes are `UsersErrorCode`, not repeated here). */
export type HttpProblemCode =
  /** A cookie-authenticated request from another site (CSRF defence). */
  | "origin_mismatch"
  /** The body is not JSON at all (a JSON body that fails a field check is the domain's `invalid_input`). */
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "unknown_provider"
  | "invalid_redirect_uri"
  | "internal_error"
  | "database_unavailable";

/** Extra members of a problem body. */
export interface ProblemExtras {
  field?: string | undefined;
  retryAfter?: number | undefined;
}

/**
 * Sends a problem+json response; the status follows from the code.
 *
 * @example
 * return problem(c, "origin_mismatch", "requests from https://evil.example are not allowed");
 */
export function problem(c: Context, code: ProblemCode, detail: string, extras: ProblemExtras = {}): Response {
  const { status, body } = problemBody(code, detail);
  if (extras.field !== undefined) body["field"] = extras.field;
  const headers: Record<string, string> = { "content-type": "application/problem+json", "cache-control": "no-store" };
  if (extras.retryAfter !== undefined) {
    body["retry_after"] = extras.retryAfter;
    headers["retry-after"] = String(extras.retryAfter);
  }
  return c.body(JSON.stringify(body), status, headers);
}

/**
 * The status and body of a problem, for answers outside a Hono context (the host-app guards).
 *
 * @example
 * const { status, body } = problemBody("unauthenticated", "sign in first"); // 401, { type, title, status, code, detail }
 */
export function problemBody(code: ProblemCode, detail: string): { status: ReturnType<typeof httpStatusFor>; body: Record<string, unknown> } {
  const status = httpStatusFor(code);
  return { status, body: { type: "about:blank", title: code.replace(/_/g, " "), status, code, detail } };
}

/**
 * A thrown error the HTTP layer answers as a problem, for codes the domain cannot have.
 *
 * @example
 * throw new HttpProblem("unknown_provider", "the only provider is github", { field: "oauth_provider" });
 */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  readonly code: HttpProblemCode;
  /** The request field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: HttpProblemCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

/**
 * `app.onError`: domain and HTTP problems become their responses; a database that cannot serve a
 * 503 with `retry-after` (logged once per outage by `database`); anything else a logged 500.
 */
export function errorToResponse(err: unknown, c: Context<AppEnv>, database?: DatabaseHealth): Response {
  if (err instanceof UsersError) return problem(c, err.code, err.message, { field: err.field, retryAfter: err.retryAfter });
  if (err instanceof HttpProblem) return problem(c, err.code, err.message, { field: err.field });
  if (database?.refused(err)) {
    return problem(c, "database_unavailable", "the database is unavailable; try again shortly", { retryAfter: DATABASE_RETRY_AFTER_S });
  }
  // The logger is set by the first middleware; an error before it still gets a clean 500.
  requestLog(c)?.error({ err }, "unhandled error");
  return problem(c, "internal_error", "something went wrong on our side");
}

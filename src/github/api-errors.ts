/** REST API failures -> {@link GitHubApiError} codes, with rate-limit details (docs/github-protocol.md §9). */
import { GitHubApiError, type GitHubApiErrorCode, type RateLimit } from "./errors.js";

function header(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null || !/^\d{1,15}$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

/** The `x-ratelimit-*` headers, when limit, remaining and reset are all present. */
function readRateLimit(headers: Headers): RateLimit | undefined {
  const limit = header(headers, "x-ratelimit-limit");
  const remaining = header(headers, "x-ratelimit-remaining");
  const reset = header(headers, "x-ratelimit-reset");
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return { limit, remaining, reset: new Date(reset * 1000), resource: headers.get("x-ratelimit-resource") ?? "" };
}

function githubMessage(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") return body.message;
  } catch {
    // Not JSON (an HTML error page from a proxy): no message to report.
  }
  return undefined;
}

/**
 * Seconds to wait: `retry-after` when sent, else until `x-ratelimit-reset`, else 60 — GitHub's
 * documented order. A secondary limit waits at least 60 s even when the primary window's reset
 * is near or past: that reset says nothing about the secondary limit (GitHub: "wait for at least
 * one minute").
 */
function retryAfterSeconds(headers: Headers, rateLimit: RateLimit | undefined, now: number, secondary: boolean): number {
  const retryAfter = header(headers, "retry-after");
  if (retryAfter !== undefined) return retryAfter;
  if (rateLimit) return Math.max(secondary ? 60 : 0, Math.ceil((rateLimit.reset.getTime() - now) / 1000));
  return 60;
}

/** Maps a non-2xx API response to a coded error. */
export function apiError(res: { status: number; headers: Headers; text: string }, operation: string, now: number): GitHubApiError {
  const { status, headers } = res;
  const message = githubMessage(res.text);
  const rateLimit = readRateLimit(headers);
  let code: GitHubApiErrorCode;
  let retryAfter: number | undefined;
  if (status === 401) code = "bad_credentials";
  else if ((status === 403 || status === 429) && rateLimit?.remaining === 0) code = "rate_limited";
  else if ((status === 403 || status === 429) && message !== undefined && /secondary rate limit/i.test(message)) code = "secondary_rate_limit";
  else if (status === 429) code = "rate_limited";
  else if (status === 403) code = "forbidden";
  else if (status === 404) code = "not_found";
  else if (status === 422) code = "validation_failed";
  else if (status >= 500) code = "server_error";
  else code = "unexpected_status";
  if (code === "rate_limited" || code === "secondary_rate_limit") retryAfter = retryAfterSeconds(headers, rateLimit, now, code === "secondary_rate_limit");
  return new GitHubApiError(code, {
    status,
    operation,
    githubMessage: message,
    rateLimit,
    retryAfter,
    sso: headers.get("x-github-sso") ?? undefined,
  });
}

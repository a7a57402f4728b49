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
 * `retry-after` in seconds: delta-seconds as GitHub sends it, or an HTTP-date (RFC 9110 §10.2.3)
 * counted from `now`; undefined when absent or unreadable.
 */
function retryAfterHeader(headers: Headers, now: number): number | undefined {
  const seconds = header(headers, "retry-after");
  if (seconds !== undefined) return seconds;
  const raw = headers.get("retry-after");
  const at = raw === null ? NaN : Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Seconds to wait: `retry-after` when sent, else until `x-ratelimit-reset`, else 60 — GitHub's
 * documented order. A secondary limit waits at least 60 s even when the primary window's reset
 * is near or past: that reset says nothing about the secondary limit (GitHub: "wait for at least
 * one minute").
 */
function retryAfterSeconds(headers: Headers, now: number, secondary: boolean): number {
  const retryAfter = retryAfterHeader(headers, now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = header(headers, "x-ratelimit-reset");
  if (reset !== undefined) return Math.max(secondary ? 60 : 0, Math.ceil((reset * 1000 - now) / 1000));
  return 60;
}

// GitHub's secondary-limit messages, today's and the older "abuse detection" wording.
const SECONDARY = /secondary rate limit|abuse detection/i;

/**
 * Maps a non-2xx API response to a coded error. Rate limits are recognised as GitHub's docs
 * describe them, from whatever part of the headers arrived: `x-ratelimit-remaining: 0` alone is the
 * primary limit; a 403/429 with `retry-after`, or with the secondary-limit message, is a secondary
 * limit. `retry-after` is honoured on any status that sends it.
 */
export function apiError(res: { status: number; headers: Headers; text: string }, operation: string, now: number): GitHubApiError {
  const { status, headers } = res;
  const message = githubMessage(res.text);
  const rateLimit = readRateLimit(headers);
  const limited = status === 403 || status === 429;
  let code: GitHubApiErrorCode;
  if (status === 401) code = "bad_credentials";
  else if (limited && header(headers, "x-ratelimit-remaining") === 0) code = "rate_limited";
  else if (limited && ((message !== undefined && SECONDARY.test(message)) || headers.has("retry-after"))) code = "secondary_rate_limit";
  else if (status === 429) code = "rate_limited";
  else if (status === 403) code = "forbidden";
  else if (status === 404) code = "not_found";
  else if (status === 422) code = "validation_failed";
  else if (status >= 500) code = "server_error";
  else code = "unexpected_status";
  const retryAfter = code === "rate_limited" || code === "secondary_rate_limit" ? retryAfterSeconds(headers, now, code === "secondary_rate_limit") : retryAfterHeader(headers, now);
  return new GitHubApiError(code, {
    status,
    operation,
    githubMessage: message,
    rateLimit,
    retryAfter,
    sso: headers.get("x-github-sso") ?? undefined,
  });
}

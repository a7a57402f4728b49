/**
 * What every api.github.com response shares: the User-Agent requirement, API version selection,
 * rate-limit accounting and headers, token authentication and scope headers.
 */
import { randomBytes } from "node:crypto";
import type { Core, EmulatorContext } from "./core.js";
import type { UserRecord } from "./directory.js";
import { parseTokenAuth } from "./request-body.js";
import { GHES_API_PREFIX } from "./routes.js";
import type { TokenRecord } from "./tokens.js";

const DOCS = "https://docs.github.com/rest";
const VERSIONS = new Set(["2022-11-28", "2026-03-10"]);
const DEFAULT_VERSION = "2022-11-28";
const HOUR_MS = 60 * 60 * 1000;

/** The headers api.github.com lets browsers read (its CORS policy), as it sends them. */
const EXPOSED =
  "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset";

/** A request id in GitHub's shape (five colon-separated hex groups), quoted to support. */
function requestId(): string {
  const hex = randomBytes(16).toString("hex").toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 9)}:${hex.slice(9, 16)}:${hex.slice(16, 23)}:${hex.slice(23, 31)}`;
}

/** JSON with GitHub's media type, request id and CORS headers; no body for 204 and 304. */
export function apiJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 || status === 304 ? null : JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-github-media-type": "github.v3; format=json",
      "x-github-request-id": requestId(),
      "access-control-allow-origin": "*",
      "access-control-expose-headers": EXPOSED,
      ...headers,
    },
  });
}

/** GitHub's error body: `status` is a string in today's responses. */
export function apiError(status: number, message: string, documentationUrl = DOCS, headers: Record<string, string> = {}): Response {
  return apiJson(status, { message, documentation_url: documentationUrl, status: String(status) }, headers);
}

/** The API base for links in bodies: the origin, or `origin/api/v3` when called that way. */
export function apiBase(c: EmulatorContext, core: Core): string {
  return new URL(c.req.url).pathname.startsWith(`${GHES_API_PREFIX}/`) ? `${core.origin(c.req.url)}${GHES_API_PREFIX}` : core.origin(c.req.url);
}

interface Window {
  used: number;
  resetAt: number;
}

/** Per-credential hourly windows: 5000 requests with a token, 60 without (GitHub's primary limits). */
export class RateLimits {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  /** Counts a request; returns its headers and whether the limit was already reached. */
  hit(key: string, limit: number): { headers: Record<string, string>; exceeded: boolean } {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + HOUR_MS };
      this.windows.set(key, w);
    }
    const exceeded = w.used >= limit;
    if (!exceeded) w.used += 1;
    return {
      exceeded,
      headers: {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(limit - w.used),
        "x-ratelimit-used": String(w.used),
        "x-ratelimit-reset": String(Math.floor(w.resetAt / 1000)),
        "x-ratelimit-resource": "core",
      },
    };
  }

  /** Gives back one counted request (an authorised `304` does not count on GitHub). */
  refund(key: string): void {
    const w = this.windows.get(key);
    if (w && w.used > 0) w.used -= 1;
  }
}

/** The common checks before an API route; a Response when the request stops here. */
export function apiPreflight(c: EmulatorContext, rateKey: string, limits: RateLimits, limit: number): { headers: Record<string, string> } | Response {
  // api.github.com refuses requests without a User-Agent.
  if (!c.req.header("user-agent")) {
    return apiJson(403, {
      message: "Missing or invalid User Agent string. See https://docs.github.com/rest/overview/resources-in-the-rest-api#user-agent-required for details.",
      documentation_url: `${DOCS}/overview/resources-in-the-rest-api#user-agent-required`,
      status: "403",
    });
  }
  const asked = c.req.header("x-github-api-version");
  if (asked !== undefined && !VERSIONS.has(asked)) return apiError(400, `API version '${asked}' is not supported.`, `${DOCS}/about-the-rest-api/api-versions`);
  const rate = limits.hit(rateKey, limit);
  const headers = { "x-github-api-version-selected": asked ?? DEFAULT_VERSION, ...rate.headers };
  if (rate.exceeded) return apiError(403, "API rate limit exceeded.", `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api`, headers);
  return { headers };
}

/** A request authenticated by a user token. */
export interface ApiCaller {
  token: TokenRecord;
  user: UserRecord;
  headers: Record<string, string>;
  /** The rate-limit window this request counted in. */
  rateKey: string;
}

/** `github-authentication-token-expiration`'s format: `2024-01-31 15:04:05 UTC`. */
function expiryHeader(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** Preflight + `Authorization: Bearer|token`; 401 with GitHub's body when missing or bad. */
export function authenticate(c: EmulatorContext, core: Core, limits: RateLimits): ApiCaller | Response {
  const raw = parseTokenAuth(c.req.header("authorization"));
  const token = raw === null ? undefined : core.tokens.findAccess(raw);
  const user = token && core.dir.userById(token.userId);
  const rateKey = user ? `user:${user.id}` : "anonymous";
  const pre = apiPreflight(c, rateKey, limits, user ? 5000 : 60);
  if (pre instanceof Response) return pre;
  if (!token || !user) return apiError(401, raw === null ? "Requires authentication" : "Bad credentials", DOCS, pre.headers);
  const headers: Record<string, string> = { ...pre.headers, "x-oauth-scopes": token.scopes.join(", "), "x-oauth-client-id": token.clientId };
  // GitHub names an expiring token's end on every response it authenticates.
  if (token.expiresAt !== null) headers["github-authentication-token-expiration"] = expiryHeader(token.expiresAt);
  return { token, user, headers, rateKey };
}

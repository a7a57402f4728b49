/**
 * The client's settings, checked once and shared by every operation: bases, app credentials,
 * defaults, transport and clock. Each operation file takes a {@link ClientContext} as its first
 * argument, so `GitHubOAuth` is only a thin class over them.
 */
import { checkRedirectUri } from "./authorization-url.js";
import { GitHubUsageError } from "./errors.js";
import { resolveEndpoints } from "./hosts.js";
import { webCryptoSha256 } from "./pkce.js";
import type { Sha256 } from "./pkce.js";
import { checkScopes } from "./scopes.js";
import type { FetchLike, Transport } from "./transport.js";

/**
 * Options of {@link GitHubOAuth}. Optional properties also accept `undefined`, so values read from
 * the environment can be passed as they are.
 *
 * @example
 * ```ts
 * const options: GitHubOAuthOptions = { clientId, clientSecret, host: "ghe.example.com", timeoutMs: 5000 };
 * ```
 */
export interface GitHubOAuthOptions {
  /** The OAuth app's or GitHub App's client ID. */
  clientId: string;
  /** Needed for the code exchange, refresh of web-flow tokens, and the token API. Never logged. */
  clientSecret?: string | undefined;
  /** Default `redirect_uri` for the authorize request and the code exchange. */
  redirectUri?: string | undefined;
  /** Scopes to request. Default `["read:user", "user:email"]`. */
  scopes?: readonly string[] | undefined;
  /** `github.com` (default), a GHES host (`ghe.example.com`), or `SUB.ghe.com`: derives both bases. */
  host?: string | undefined;
  /** Explicit web base (`https://github.com`, the emulator's URL); wins over `host`. */
  webUrl?: string | URL | undefined;
  /** Explicit REST API base (`https://api.github.com`); wins over `host`. */
  apiUrl?: string | URL | undefined;
  /** Default: `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined;
  /** Time limit of every request, body included, in ms. Default 10000. */
  timeoutMs?: number | undefined;
  /** `User-Agent` header (GitHub refuses requests without one). Default `gatehouse`. */
  userAgent?: string | undefined;
  /** `X-GitHub-Api-Version`. Default `2022-11-28`. */
  apiVersion?: string | undefined;
  /** Clock for `expiresAt` values, epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** SHA-256 for the PKCE challenge. Default Web Crypto's (asynchronous); e.g. node:crypto's under Node. */
  sha256?: Sha256 | undefined;
}

/** What every operation needs: checked settings, no secrets beyond the client's own. */
export interface ClientContext {
  readonly webUrl: string;
  readonly apiUrl: string;
  /** RFC 9207 issuer a callback's `iss` must equal: `{webUrl}/login/oauth`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly redirectUri: string | undefined;
  readonly scopes: readonly string[];
  readonly transport: Transport;
  readonly now: () => number;
  readonly sha256: Sha256;
}

const DEFAULT_SCOPES = ["read:user", "user:email"] as const;

function option(name: string, ok: boolean, expected: string): void {
  if (!ok) throw new GitHubUsageError("invalid_option", `${name} must be ${expected}`);
}

/** Checks the options (throwing `invalid_option`) and fills in the defaults. */
export function createClientContext(options: GitHubOAuthOptions): ClientContext {
  option("clientId", typeof options.clientId === "string" && options.clientId.length > 0, "a non-empty string");
  option("clientSecret", options.clientSecret === undefined || (typeof options.clientSecret === "string" && options.clientSecret.length > 0), "a non-empty string");
  const timeoutMs = options.timeoutMs ?? 10_000;
  option("timeoutMs", Number.isFinite(timeoutMs) && timeoutMs > 0, "a positive number of milliseconds");
  option("sha256", options.sha256 === undefined || typeof options.sha256 === "function", "a function");
  const { webUrl, apiUrl } = resolveEndpoints(options);
  const customFetch = options.fetch;
  return {
    webUrl,
    apiUrl,
    issuer: `${webUrl}/login/oauth`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri === undefined ? undefined : checkRedirectUri("redirectUri", options.redirectUri),
    scopes: options.scopes === undefined ? DEFAULT_SCOPES : checkScopes("scopes", options.scopes, "invalid_option"),
    now: options.now ?? Date.now,
    sha256: options.sha256 ?? webCryptoSha256,
    transport: {
      // Looked up per call so that a fetch installed later (polyfill, test interceptor) is used.
      fetch: customFetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs,
      userAgent: options.userAgent ?? "gatehouse",
      apiVersion: options.apiVersion ?? "2022-11-28",
    },
  };
}

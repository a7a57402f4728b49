/** `GitHubOAuth`: the web flow, device flow, refresh, token API, and user/emails/orgs of a token. */
import { buildAuthorizationUrl, checkRedirectUri, type AuthorizationRequest, type AuthorizationUrlOptions } from "./authorization-url.js";
import { basicAuth } from "./base64.js";
import { checkCallback, type CallbackInput } from "./callback.js";
import { pollUntilDone, readDeviceCode, type PollDeviceTokenOptions } from "./device-flow.js";
import { GitHubApiError, GitHubUsageError } from "./errors.js";
import { resolveEndpoints } from "./hosts.js";
import { nextPage, readOrgMembership, readOrgs, readTeamMembership } from "./memberships.js";
import { assertCodeVerifier } from "./pkce.js";
import { bearer, rest, shaped, type RestContext } from "./rest.js";
import { checkScopes, parseScopes } from "./scopes.js";
import { readResetToken, readTokenInfo } from "./token-info.js";
import { readOAuthResponse, shapedOAuth, toTokenSet } from "./token-response.js";
import { send, type FetchLike, type Transport } from "./transport.js";
import type { DeviceCode, GitHubEmail, GitHubIdentity, GitHubOrg, GitHubUser, OrgMembership, TeamMembership, TokenInfo, TokenSet } from "./types.js";
import { primaryVerifiedEmail, readEmails, readUser } from "./users.js";

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
}

/**
 * Options of {@link GitHubOAuth.handleCallback}: what was kept server-side at step 1.
 *
 * @example
 * ```ts
 * await github.handleCallback(url, { state: tx.state, codeVerifier: tx.codeVerifier });
 * ```
 */
export interface HandleCallbackOptions {
  state: string;
  codeVerifier: string;
  /** The `redirectUri` given to `createAuthorizationUrl`, if it overrode the client's. */
  redirectUri?: string | undefined;
}

/**
 * Options of {@link GitHubOAuth.exchangeCode}.
 *
 * @example
 * ```ts
 * await github.exchangeCode({ code, codeVerifier, redirectUri: "https://app.example/callback" });
 * ```
 */
export interface ExchangeCodeOptions {
  code: string;
  codeVerifier: string;
  redirectUri?: string | undefined;
}

const DEFAULT_SCOPES = ["read:user", "user:email"] as const;
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

function segment(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new GitHubUsageError("invalid_argument", `${name} must be a non-empty string`);
  return encodeURIComponent(value);
}

function option(name: string, ok: boolean, expected: string): void {
  if (!ok) throw new GitHubUsageError("invalid_option", `${name} must be ${expected}`);
}

/**
 * A GitHub OAuth client, following GitHub's documented and observed behaviour: PKCE always,
 * state checked in constant time, RFC 9207 `iss` checked, errors sent with HTTP 200 read as
 * errors, every response validated, every request bounded by a timeout. No dependencies; runs
 * wherever `fetch` and Web Crypto exist.
 *
 * @example
 * ```ts
 * const github = new GitHubOAuth({ clientId, clientSecret, redirectUri: "https://app.example/callback" });
 * const { url, state, codeVerifier } = github.createAuthorizationUrl(); // keep state + verifier server-side
 * // … later, at the callback:
 * const tokens = await github.handleCallback(request.url, { state, codeVerifier });
 * const { user, email } = await github.getIdentity(tokens.accessToken);
 * ```
 */
export class GitHubOAuth {
  /** The web base, e.g. `https://github.com`. */
  readonly webUrl: string;
  /** The REST API base, e.g. `https://api.github.com`. */
  readonly apiUrl: string;
  /** The RFC 9207 issuer a callback's `iss` must equal: `{webUrl}/login/oauth`. */
  readonly issuer: string;
  /** The app's client ID (public: it is in every authorize URL). */
  readonly clientId: string;
  readonly #clientSecret: string | undefined;
  readonly #redirectUri: string | undefined;
  readonly #scopes: readonly string[];
  readonly #transport: Transport;
  readonly #now: () => number;
  readonly #rest: RestContext;

  constructor(options: GitHubOAuthOptions) {
    option("clientId", typeof options.clientId === "string" && options.clientId.length > 0, "a non-empty string");
    option("clientSecret", options.clientSecret === undefined || (typeof options.clientSecret === "string" && options.clientSecret.length > 0), "a non-empty string");
    const timeoutMs = options.timeoutMs ?? 10_000;
    option("timeoutMs", Number.isFinite(timeoutMs) && timeoutMs > 0, "a positive number of milliseconds");
    const { webUrl, apiUrl } = resolveEndpoints(options);
    this.webUrl = webUrl;
    this.apiUrl = apiUrl;
    this.issuer = `${webUrl}/login/oauth`;
    this.clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#redirectUri = options.redirectUri === undefined ? undefined : checkRedirectUri("redirectUri", options.redirectUri);
    this.#scopes = options.scopes === undefined ? DEFAULT_SCOPES : checkScopes("scopes", options.scopes, "invalid_option");
    this.#now = options.now ?? Date.now;
    const customFetch = options.fetch;
    this.#transport = {
      // Looked up per call so that a fetch installed later (polyfill, test interceptor) is used.
      fetch: customFetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs,
      userAgent: options.userAgent ?? "gatehouse",
      apiVersion: options.apiVersion ?? "2022-11-28",
    };
    this.#rest = { transport: this.#transport, apiUrl, now: this.#now };
  }

  /**
   * Step 1: the authorize URL to redirect the browser to, with `state` and a PKCE S256 challenge.
   * Keep the returned `state` and `codeVerifier` server-side, bound to the browser, until the callback.
   *
   * @example
   * ```ts
   * const { url, state, codeVerifier } = github.createAuthorizationUrl({ prompt: "select_account" });
   * return Response.redirect(url, 302);
   * ```
   */
  createAuthorizationUrl(options: AuthorizationUrlOptions = {}): AuthorizationRequest {
    return buildAuthorizationUrl({ webUrl: this.webUrl, clientId: this.clientId, redirectUri: this.#redirectUri, scopes: this.#scopes }, options);
  }

  /**
   * Step 2: checks the callback (`error`, then `state`, then `iss`, then `code`) and exchanges the
   * code. Throws {@link GitHubOAuthError} with GitHub's `error` or `state_mismatch`,
   * `issuer_mismatch`, `missing_code`.
   *
   * @example
   * ```ts
   * const tokens = await github.handleCallback(c.req.url, { state: tx.state, codeVerifier: tx.codeVerifier });
   * ```
   */
  async handleCallback(callback: CallbackInput, options: HandleCallbackOptions): Promise<TokenSet> {
    const code = checkCallback(callback, options.state, this.issuer);
    return this.exchangeCode({ code, codeVerifier: options.codeVerifier, redirectUri: options.redirectUri });
  }

  /**
   * Exchanges an authorization code (single use, 10 minutes) for tokens.
   *
   * @example
   * ```ts
   * const tokens = await github.exchangeCode({ code, codeVerifier });
   * ```
   */
  async exchangeCode(options: ExchangeCodeOptions): Promise<TokenSet> {
    if (typeof options.code !== "string" || options.code.length === 0) throw new GitHubUsageError("invalid_argument", "code must be a non-empty string");
    assertCodeVerifier(options.codeVerifier);
    const redirectUri = options.redirectUri === undefined ? this.#redirectUri : checkRedirectUri("redirectUri", options.redirectUri);
    const params: Record<string, string> = { client_id: this.clientId, code: options.code, code_verifier: options.codeVerifier };
    if (this.#clientSecret !== undefined) params["client_secret"] = this.#clientSecret;
    if (redirectUri !== undefined) params["redirect_uri"] = redirectUri;
    return this.#tokenRequest(params, undefined);
  }

  /**
   * Trades a refresh token for new tokens. Refresh tokens rotate: the old refresh token and the
   * old access token stop working; a second refresh with the same one gets `bad_refresh_token`.
   *
   * @example
   * ```ts
   * const next = await github.refreshToken(tokens.refreshToken!);
   * ```
   */
  async refreshToken(refreshToken: string): Promise<TokenSet> {
    if (typeof refreshToken !== "string" || refreshToken.length === 0) throw new GitHubUsageError("invalid_argument", "refreshToken must be a non-empty string");
    const params: Record<string, string> = { client_id: this.clientId, grant_type: "refresh_token", refresh_token: refreshToken };
    // Not needed for device-flow tokens, required for web-flow ones: send it when we have it.
    if (this.#clientSecret !== undefined) params["client_secret"] = this.#clientSecret;
    return this.#tokenRequest(params, undefined);
  }

  /**
   * Step 3: the user a token belongs to. Call it after every token: the numeric `id` is the identity.
   *
   * @example
   * ```ts
   * const user = await github.getUser(tokens.accessToken);
   * ```
   */
  async getUser(token: string): Promise<GitHubUser> {
    const res = await rest(this.#rest, { method: "GET", path: "/user", auth: bearer(token) });
    return shaped(res, (body) => readUser(body));
  }

  /**
   * The user's addresses (needs `user:email` or `user`).
   *
   * @example
   * ```ts
   * const emails = await github.getEmails(tokens.accessToken);
   * ```
   */
  async getEmails(token: string): Promise<GitHubEmail[]> {
    const res = await rest(this.#rest, { method: "GET", path: "/user/emails", auth: bearer(token) });
    return shaped(res, readEmails);
  }

  /**
   * The user, their primary verified email (else null) and the token's scopes, in two concurrent
   * requests. When the token may not read emails (GitHub answers 404 or 403 without a rate
   * limit), `email` is null; any other failure is thrown.
   *
   * @example
   * ```ts
   * const { user, email, scopes } = await github.getIdentity(tokens.accessToken);
   * ```
   */
  async getIdentity(token: string): Promise<GitHubIdentity> {
    const auth = bearer(token);
    const [userRes, emails] = await Promise.all([
      rest(this.#rest, { method: "GET", path: "/user", auth }),
      rest(this.#rest, { method: "GET", path: "/user/emails", auth }).then(
        (res) => shaped(res, readEmails),
        (err: unknown) => {
          // Missing `user:email` scope: 404 for OAuth tokens, 403 for GitHub App tokens.
          if (err instanceof GitHubApiError && (err.code === "not_found" || err.code === "forbidden")) return null;
          throw err;
        },
      ),
    ]);
    const user = shaped(userRes, (body) => readUser(body));
    return { user, email: emails ? primaryVerifiedEmail(emails) : null, scopes: parseScopes(userRes.headers.get("x-oauth-scopes") ?? "") };
  }

  /**
   * Starts the device flow: show `userCode` and `verificationUri` to the user, then
   * {@link GitHubOAuth.pollDeviceToken}. GitHub answers HTTP 400 `device_flow_disabled` when the
   * app has not enabled it.
   *
   * @example
   * ```ts
   * const device = await github.requestDeviceCode({ scopes: ["read:user"] });
   * ```
   */
  async requestDeviceCode(options: { scopes?: readonly string[] } = {}): Promise<DeviceCode> {
    const scopes = options.scopes === undefined ? this.#scopes : checkScopes("scopes", options.scopes, "invalid_argument");
    const params: Record<string, string> = { client_id: this.clientId };
    if (scopes.length > 0) params["scope"] = scopes.join(" ");
    const operation = "POST /login/device/code";
    const res = await this.#oauthPost("/login/device/code", params, operation, undefined);
    const receivedAt = this.#now();
    const body = readOAuthResponse(res, operation);
    return shapedOAuth(operation, res.status, () => readDeviceCode(body, receivedAt));
  }

  /**
   * Polls the token endpoint until the user approves (RFC 8628 §3.4–3.5). Stops with
   * {@link GitHubOAuthError} `expired_token` (also for the local deadline), `access_denied`, or any
   * other error, and with {@link GitHubNetworkError} `aborted` on `signal`; a network failure or a
   * 5xx only slows polling down. `sleep` and `now` are injectable so tests need not wait.
   *
   * @example
   * ```ts
   * const tokens = await github.pollDeviceToken(device, { signal: AbortSignal.timeout(900_000) });
   * ```
   */
  async pollDeviceToken(device: DeviceCode, options: PollDeviceTokenOptions = {}): Promise<TokenSet> {
    return pollUntilDone(device, (signal) => this.pollDeviceTokenOnce(device.deviceCode, { signal }), { ...options, now: options.now ?? this.#now });
  }

  /**
   * One token request with the device grant, no waiting and no loop: for a server that polls
   * GitHub once each time its own client polls it. Throws {@link GitHubOAuthError}
   * `authorization_pending`, `slow_down` (with `interval` when GitHub sent one), `expired_token`,
   * `access_denied`…; the caller owns the pacing (RFC 8628 §3.5).
   *
   * @example
   * ```ts
   * try { return await github.pollDeviceTokenOnce(device.deviceCode); }
   * catch (err) { if (err instanceof GitHubOAuthError && err.code === "authorization_pending") return "pending"; throw err; }
   * ```
   */
  async pollDeviceTokenOnce(deviceCode: string, options: { signal?: AbortSignal | undefined } = {}): Promise<TokenSet> {
    if (typeof deviceCode !== "string" || deviceCode.length === 0) throw new GitHubUsageError("invalid_argument", "deviceCode must be a non-empty string");
    return this.#tokenRequest({ client_id: this.clientId, device_code: deviceCode, grant_type: DEVICE_GRANT }, options.signal);
  }

  /**
   * Checks a token with the app's credentials: its scopes, expiry and owner, or `null` when
   * GitHub answers 404 (an unknown or revoked token, or one of another app). Wrong client
   * credentials are an error (`bad_credentials`), not `null`.
   *
   * @example
   * ```ts
   * const info = await github.checkToken(token);
   * if (!info) signOut();
   * ```
   */
  async checkToken(token: string): Promise<TokenInfo | null> {
    const res = await rest(this.#rest, { ...this.#appTokenCall("POST", token), nullOn404: true });
    return res && shaped(res, readTokenInfo);
  }

  /**
   * Replaces a token with a new one; the old one stops working.
   *
   * @example
   * ```ts
   * const fresh = await github.resetToken(token);
   * ```
   */
  async resetToken(token: string): Promise<string> {
    const res = await rest(this.#rest, this.#appTokenCall("PATCH", token));
    return shaped(res, readResetToken);
  }

  /**
   * Revokes one token. Resolves `true` when revoked, `false` when GitHub answers 404 (already gone).
   *
   * @example
   * ```ts
   * await github.revokeToken(token); // on sign-out
   * ```
   */
  async revokeToken(token: string): Promise<boolean> {
    const res = await rest(this.#rest, { ...this.#appTokenCall("DELETE", token), nullOn404: true });
    return res !== null;
  }

  /**
   * Revokes the whole grant: every token of this user for this app, and the authorisation itself.
   * Resolves `true` when revoked, `false` when GitHub answers 404.
   *
   * @example
   * ```ts
   * await github.revokeGrant(token); // "disconnect GitHub"
   * ```
   */
  async revokeGrant(token: string): Promise<boolean> {
    const call = this.#appTokenCall("DELETE", token);
    const res = await rest(this.#rest, { ...call, path: `/applications/${encodeURIComponent(this.clientId)}/grant`, nullOn404: true });
    return res !== null;
  }

  /**
   * The organisations whose membership the user lets this app see (needs `read:org` or `user`);
   * follows pagination.
   *
   * @example
   * ```ts
   * const orgs = await github.listOrgs(token);
   * ```
   */
  async listOrgs(token: string): Promise<GitHubOrg[]> {
    const auth = bearer(token);
    const orgs: GitHubOrg[] = [];
    let url: string | undefined = `${this.apiUrl}/user/orgs?per_page=100`;
    // Bounded: 50 pages of 100 is far beyond any real membership list.
    for (let page = 0; url !== undefined && page < 50; page++) {
      const res = await rest(this.#rest, { method: "GET", path: "/user/orgs", url, auth });
      orgs.push(...shaped(res, readOrgs));
      url = nextPage(res.headers.get("link"), this.apiUrl);
    }
    return orgs;
  }

  /**
   * The user's membership in `org`, or `null` when not a member (404). `pending` is not membership.
   *
   * @example
   * ```ts
   * const member = (await github.getOrgMembership(token, "acme"))?.state === "active";
   * ```
   */
  async getOrgMembership(token: string, org: string): Promise<OrgMembership | null> {
    const path = `/user/memberships/orgs/${segment("org", org)}`;
    const res = await rest(this.#rest, { method: "GET", path, auth: bearer(token), nullOn404: true });
    return res && shaped(res, readOrgMembership);
  }

  /**
   * `username`'s membership in a team of `org`, or `null` when not a member (404).
   *
   * @example
   * ```ts
   * const m = await github.getTeamMembership(token, "acme", "admins", user.login);
   * ```
   */
  async getTeamMembership(token: string, org: string, teamSlug: string, username: string): Promise<TeamMembership | null> {
    const path = `/orgs/${segment("org", org)}/teams/${segment("teamSlug", teamSlug)}/memberships/${segment("username", username)}`;
    const res = await rest(this.#rest, { method: "GET", path, auth: bearer(token), nullOn404: true });
    return res && shaped(res, readTeamMembership);
  }

  /** `/applications/{client_id}/token` with Basic client credentials and the token in a JSON body (never the URL). */
  #appTokenCall(method: "POST" | "PATCH" | "DELETE", token: string): { method: "POST" | "PATCH" | "DELETE"; path: string; auth: string; json: unknown } {
    if (this.#clientSecret === undefined) {
      throw new GitHubUsageError("client_secret_required", "The token API (/applications/…) needs the client's clientSecret");
    }
    bearer(token); // same argument check as the other calls
    return {
      method,
      path: `/applications/${encodeURIComponent(this.clientId)}/token`,
      auth: basicAuth(this.clientId, this.#clientSecret),
      json: { access_token: token },
    };
  }

  async #oauthPost(path: string, params: Record<string, string>, operation: string, signal: AbortSignal | undefined) {
    return send(this.#transport, {
      method: "POST",
      url: `${this.webUrl}${path}`,
      operation,
      // Without Accept GitHub answers form-encoded; we ask for JSON but parse whatever comes.
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
      signal,
    });
  }

  async #tokenRequest(params: Record<string, string>, signal: AbortSignal | undefined): Promise<TokenSet> {
    const operation = "POST /login/oauth/access_token";
    const res = await this.#oauthPost("/login/oauth/access_token", params, operation, signal);
    const receivedAt = this.#now();
    const body = readOAuthResponse(res, operation);
    return shapedOAuth(operation, res.status, () => toTokenSet(body, receivedAt));
  }
}


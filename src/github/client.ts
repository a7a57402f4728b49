/**
 * `GitHubOAuth`: one object holding the checked settings, with one method per operation. Each
 * method delegates to the file that implements its operation (the octokit/oauth-methods layout).
 */
import { createAuthorizationUrl, type AuthorizationRequest, type AuthorizationUrlOptions } from "./authorization-url.js";
import { handleCallback, type CallbackInput, type HandleCallbackOptions } from "./callback.js";
import { createClientContext, type ClientContext, type GitHubOAuthOptions } from "./context.js";
import { requestDeviceCode } from "./device-code.js";
import { pollDeviceToken, type PollDeviceTokenOptions } from "./device-flow.js";
import { pollDeviceTokenOnce } from "./device-token.js";
import { exchangeCode, type ExchangeCodeOptions } from "./exchange-code.js";
import { getIdentity } from "./identity.js";
import { getOrgMembership, getTeamMembership, listOrgs } from "./memberships.js";
import { refreshToken as refresh } from "./refresh-token.js";
import { checkToken, resetToken, revokeGrant, revokeToken } from "./token-api.js";
import type { DeviceCode, GitHubEmail, GitHubIdentity, GitHubOrg, GitHubUser, OrgMembership, TeamMembership, TokenInfo, TokenSet } from "./types.js";
import { getEmails, getUser } from "./users.js";

/**
 * A GitHub OAuth client, following GitHub's documented and observed behaviour: PKCE always,
 * state checked in constant time, RFC 9207 `iss` checked, errors sent with HTTP 200 read as
 * errors, every response validated, every request bounded by a timeout. No dependencies; runs
 * wherever `fetch` and Web Crypto exist.
 *
 * @example
 * ```ts
 * const github = new GitHubOAuth({ clientId, clientSecret, redirectUri: "https://app.example/callback" });
 * const { url, state, codeVerifier } = await github.createAuthorizationUrl(); // keep state + verifier server-side
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
  readonly #ctx: ClientContext;

  constructor(options: GitHubOAuthOptions) {
    this.#ctx = createClientContext(options);
    this.webUrl = this.#ctx.webUrl;
    this.apiUrl = this.#ctx.apiUrl;
    this.issuer = this.#ctx.issuer;
    this.clientId = this.#ctx.clientId;
  }

  /**
   * Step 1: the authorize URL to redirect the browser to, with `state` and a PKCE S256 challenge.
   * Keep the returned `state` and `codeVerifier` server-side, bound to the browser, until the callback.
   *
   * @example
   * ```ts
   * const { url, state, codeVerifier } = await github.createAuthorizationUrl({ prompt: "select_account" });
   * return Response.redirect(url, 302);
   * ```
   */
  async createAuthorizationUrl(options: AuthorizationUrlOptions = {}): Promise<AuthorizationRequest> {
    return createAuthorizationUrl(this.#ctx, options);
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
    return handleCallback(this.#ctx, callback, options);
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
    return exchangeCode(this.#ctx, options);
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
    return refresh(this.#ctx, refreshToken);
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
    return getUser(this.#ctx, token);
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
    return getEmails(this.#ctx, token);
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
    return getIdentity(this.#ctx, token);
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
    return requestDeviceCode(this.#ctx, options);
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
    return pollDeviceToken(this.#ctx, device, options);
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
    return pollDeviceTokenOnce(this.#ctx, deviceCode, options);
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
    return checkToken(this.#ctx, token);
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
    return resetToken(this.#ctx, token);
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
    return revokeToken(this.#ctx, token);
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
    return revokeGrant(this.#ctx, token);
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
    return listOrgs(this.#ctx, token);
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
    return getOrgMembership(this.#ctx, token, org);
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
    return getTeamMembership(this.#ctx, token, org, teamSlug, username);
  }
}

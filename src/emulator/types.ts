/**
 * Public types of the GitHub emulator: options, seeds, faults and recorded requests.
 * Plain data only, so tests in any language can send the same shapes to `/_emulator/`.
 */

/**
 * Whether an app is a classic OAuth app (`gho_` tokens) or a GitHub App (`ghu_` tokens, exact redirect URIs).
 *
 * @example
 * const kind: EmulatorAppKind = "github-app";
 */
export type EmulatorAppKind = "oauth-app" | "github-app";

/**
 * An OAuth app or GitHub App registered in the emulator.
 *
 * @example
 * const app: EmulatorAppSeed = { clientId: "Iv1.test", clientSecret: "s3cret", kind: "github-app",
 *   callbackUrls: ["http://127.0.0.1:3000/auth/github/callback"] };
 */
export interface EmulatorAppSeed {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent and device pages. Default: `"Gatehouse Test App"` style name from the client id. */
  name?: string | undefined;
  /** Default `"oauth-app"`. */
  kind?: EmulatorAppKind | undefined;
  /** Registered callback URLs (up to 10); the first is used when `redirect_uri` is omitted. */
  callbackUrls: string[];
  /** Device flow enabled. Default `true`. */
  deviceFlow?: boolean | undefined;
  /** Tokens expire after 8 h and come with a rotating refresh token. Default: `true` for GitHub Apps, else `false`. */
  expiringTokens?: boolean | undefined;
  /** A suspended app gets `application_suspended` at authorize. Default `false`. */
  suspended?: boolean | undefined;
}

/**
 * One of a user's email addresses, as `GET /user/emails` returns it.
 *
 * @example
 * gh.setEmails("octocat", [{ email: "o@example.com", primary: true, verified: false, visibility: "private" }]);
 */
export interface EmulatorEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  /** `"public"` or `"private"` for the primary address, `null` for the others (GitHub's shape). */
  visibility: "public" | "private" | null;
}

/**
 * Organisation membership (`GET /user/memberships/orgs/{org}`); `pending` is not membership.
 *
 * @example
 * gh.setOrgMembership("hubot", "octo-org", { role: "member", state: "active" });
 */
export interface EmulatorOrgMembership {
  /** Default `"member"`. */
  role?: "admin" | "member" | "billing_manager" | undefined;
  /** Default `"active"`. */
  state?: "active" | "pending" | undefined;
  /**
   * Publicised membership, as the controls report it. `GET /user/orgs` lists every active
   * membership to a token with `user` or `read:org` and answers 403 to others (GitHub's docs), so
   * this does not change what it lists. Default `false`.
   */
  public?: boolean | undefined;
}

/**
 * Team membership (`GET /orgs/{org}/teams/{team}/memberships/{username}`).
 *
 * @example
 * gh.setTeamMembership("hubot", "octo-org", "developers", { role: "maintainer" });
 */
export interface EmulatorTeamMembership {
  /** Default `"member"`. */
  role?: "member" | "maintainer" | undefined;
  /** Default `"active"`. */
  state?: "active" | "pending" | undefined;
}

/**
 * A GitHub user in the emulator. `id` is the stable identity; `login` can be renamed.
 *
 * @example
 * const user: EmulatorUserSeed = { login: "alice", id: 1001, name: "Alice",
 *   emails: [{ email: "alice@example.com", primary: true, verified: true, visibility: "public" }],
 *   orgs: [{ login: "acme", role: "member" }], teams: [{ org: "acme", slug: "devs" }] };
 */
export interface EmulatorUserSeed {
  login: string;
  id: number;
  name?: string | null | undefined;
  emails?: EmulatorEmail[] | undefined;
  orgs?: Array<{ login: string } & EmulatorOrgMembership> | undefined;
  teams?: Array<{ org: string; slug: string } & EmulatorTeamMembership> | undefined;
  /** Default `false`. */
  siteAdmin?: boolean | undefined;
  company?: string | null | undefined;
  location?: string | null | undefined;
  bio?: string | null | undefined;
}

/**
 * A change of a user's public profile, as the user would make it on github.com's settings page.
 * Fields left out stay as they are.
 *
 * @example
 * gh.setProfile("octocat", { name: "Mona", newAvatar: true });
 */
export interface EmulatorProfileUpdate {
  name?: string | null | undefined;
  company?: string | null | undefined;
  location?: string | null | undefined;
  bio?: string | null | undefined;
  /** An uploaded picture: the avatar URL changes (its `?v=` grows, as on GitHub's avatar host). */
  newAvatar?: true | undefined;
}

/**
 * Options of {@link startGitHubEmulator} and {@link createGitHubEmulator}; all optional.
 *
 * @example
 * const gh = await startGitHubEmulator({ autoApprove: "octocat", now: () => clock });
 */
export interface GitHubEmulatorOptions {
  /** TCP port on 127.0.0.1; `0` (default) picks a free one. Node binding only. */
  port?: number | undefined;
  /** Registered apps. Default: {@link DEFAULT_APP}. */
  apps?: EmulatorAppSeed[] | undefined;
  /** Users. Default: {@link DEFAULT_USERS}. */
  users?: EmulatorUserSeed[] | undefined;
  /**
   * Login that approves every web authorization without a page (headless tests). An authorize
   * request whose `login=` names another seeded user is approved as that user.
   */
  autoApprove?: string | undefined;
  /** The clock, epoch milliseconds. Default `Date.now`. Expiry and polling intervals follow it. */
  now?: (() => number) | undefined;
  /** Device-flow polling interval in seconds given to clients. Default `5` (GitHub's). */
  deviceInterval?: number | undefined;
}

/**
 * HTTP status of a server-error fault.
 *
 * @example
 * gh.injectFault("POST /login/oauth/access_token", { status: 502 satisfies EmulatorServerErrorStatus });
 */
export type EmulatorServerErrorStatus = 500 | 502 | 503;

/**
 * A fault for the next `times` requests (default 1) on one route; see {@link EmulatorRoute}.
 * - `{ status }`: an HTTP 5xx with GitHub's error body; the request is not processed.
 * - `{ delayMs }`: the request is processed normally after a delay.
 * - `{ rateLimit }`: a primary (`x-ratelimit-remaining: 0`) or secondary (message says so,
 *   `retry-after`) rate limit, 403 by default or 429; `retryAfter` in seconds.
 * - `{ malformed: true }`: the request is processed, but the body is cut in half (invalid JSON/XML,
 *   a form missing fields).
 *
 * @example
 * gh.injectFault("GET /user", { rateLimit: "secondary", status: 429, retryAfter: 3 });
 */
export type EmulatorFault =
  | { status: EmulatorServerErrorStatus; times?: number | undefined }
  | { delayMs: number; times?: number | undefined }
  | { rateLimit: "primary" | "secondary"; status?: 403 | 429 | undefined; retryAfter?: number | undefined; times?: number | undefined }
  | { malformed: true; times?: number | undefined };

/**
 * An endpoint, as `"METHOD /path"` with GitHub's path templates. API routes match both at the
 * root and under `/api/v3`.
 *
 * @example
 * const route: EmulatorRoute = "GET /user/memberships/orgs/{org}";
 */
export type EmulatorRoute =
  | "GET /login/oauth/authorize"
  | "POST /login/oauth/access_token"
  | "POST /login/device/code"
  | "GET /login/device"
  | "GET /user"
  | "GET /user/emails"
  | "GET /user/orgs"
  | "GET /user/memberships/orgs/{org}"
  | "GET /orgs/{org}/teams/{team_slug}/memberships/{username}"
  | "POST /applications/{client_id}/token"
  | "PATCH /applications/{client_id}/token"
  | "DELETE /applications/{client_id}/token"
  | "DELETE /applications/{client_id}/grant";

/**
 * A request the emulator received, secrets replaced by `"[REDACTED]"`.
 *
 * @example
 * const exchanges = gh.requests().filter((r) => r.route === "POST /login/oauth/access_token");
 * assert.equal(exchanges[0]?.headers["authorization"], "Basic [REDACTED]");
 */
export interface EmulatorRecordedRequest {
  /** Epoch ms from the emulator's clock. */
  time: number;
  method: string;
  /** Path without the query, as received (e.g. `/api/v3/user`). */
  path: string;
  /** The matched route, or `null` for an unknown path. */
  route: EmulatorRoute | null;
  query: Record<string, string>;
  /** Lower-case header names; `authorization` keeps its scheme only (`"Basic [REDACTED]"`). */
  headers: Record<string, string>;
  /** Parsed form or JSON body, redacted; `null` when there was none. */
  body: unknown;
  status: number;
  /** The injected fault that answered or altered this request, if any. */
  fault: EmulatorFault | null;
}

/**
 * Options of {@link GitHubEmulatorControls.createToken}.
 *
 * @example
 * const { accessToken } = gh.createToken("octocat", { scopes: ["read:org"] });
 */
export interface EmulatorCreateTokenOptions {
  /** Default: the first app. */
  clientId?: string | undefined;
  /** Default `[]`. */
  scopes?: string[] | undefined;
}

/**
 * A token minted by {@link GitHubEmulatorControls.createToken}.
 *
 * @example
 * const t: EmulatorIssuedToken = gh.createToken("octocat", { scopes: ["offline_access"] }); // t.refreshToken: "ghr_..."
 */
export interface EmulatorIssuedToken {
  accessToken: string;
  scope: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

/**
 * The controls every emulator has (in-process or over HTTP at `/_emulator/`).
 *
 * @example
 * gh.setOrgMembership("monalisa", "acme", { role: "admin" });
 * gh.injectFault("GET /user", { status: 503, times: 2 });
 */
export interface GitHubEmulatorControls {
  /** Adds a user. Throws `EmulatorError` `duplicate_user` when the login or id is taken. */
  addUser(user: EmulatorUserSeed): void;
  /** Renames a user; the id stays, and the old login becomes free for someone else. */
  renameUser(login: string, newLogin: string): void;
  /** Replaces a user's email addresses. */
  setEmails(login: string, emails: EmulatorEmail[]): void;
  /** Changes a user's name, company, location, bio or avatar, as on github.com's settings page. */
  setProfile(login: string, profile: EmulatorProfileUpdate): void;
  /** Sets or (with `null`) removes an org membership. */
  setOrgMembership(login: string, org: string, membership: EmulatorOrgMembership | null): void;
  /** Sets or (with `null`) removes a team membership. */
  setTeamMembership(login: string, org: string, team: string, membership: EmulatorTeamMembership | null): void;
  /** Approves a pending device authorization as `login` (what the user does on `/login/device`). */
  approveDevice(userCode: string, login: string): void;
  /** Cancels a pending device authorization: the next poll gets `access_denied`. */
  denyDevice(userCode: string): void;
  /** Revokes every access and refresh token and unused code of a user, for every app. */
  revokeTokens(login: string): void;
  /**
   * Mints a token for `login` with exactly `options.scopes` (normalised as GitHub does), as if it
   * had signed in, without the flow. `offline_access` makes it expire with a refresh token.
   */
  createToken(login: string, options?: EmulatorCreateTokenOptions): EmulatorIssuedToken;
  /** Changes (or with `null` turns off) {@link GitHubEmulatorOptions.autoApprove}. */
  setAutoApprove(login: string | null): void;
  /** What the emulator received so far, oldest first, secrets redacted (not `/_emulator/` calls). */
  requests(): EmulatorRecordedRequest[];
  /** Forgets the recorded requests. */
  clearRequests(): void;
  /** Queues a fault for the next requests on `route`; faults on a route apply in order. */
  injectFault(route: EmulatorRoute, fault: EmulatorFault): void;
  /** Removes all queued faults. */
  clearFaults(): void;
}

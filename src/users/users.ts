/**
 * `Users`: the domain's one entry point, used by the HTTP server, the pages and the CLI. It knows
 * nothing of HTTP or SQL: it takes plain values and returns plain values or throws `UsersError`.
 */
import type { Store } from "../store/index.js";
import { Accounts } from "./accounts.js";
import { githubCallbackUrl, providerCallbackUrl } from "./callback-url.js";
import { silentLog } from "./context.js";
import type { DomainContext, DomainLog } from "./context.js";
import { DeviceLogin } from "./device-login.js";
import type { DeviceLoginPoll, DeviceLoginStart } from "./device-login.js";
import { UsersError } from "./errors.js";
import type { GitHubPort } from "./github-port.js";
import { GitHubSignIn } from "./github-sign-in.js";
import type { GitHubAuthorization } from "./github-sign-in.js";
import { GitHubTokenVault } from "./github-token-vault.js";
import { Memberships } from "./memberships.js";
import type { MembershipRule } from "./memberships.js";
import { PasswordLogin } from "./password-login.js";
import { ProviderSignIn } from "./provider-sign-in.js";
import type { ProviderAuthorizationStart } from "./provider-sign-in.js";
import type { SignInProvider } from "./provider-port.js";
import { SignInMethods } from "./sign-in-methods.js";
import type { LoginLimits } from "./password-login.js";
import type { ScryptParams } from "./passwords.js";
import { SecretBox } from "./secret-box.js";
import { Sessions } from "./sessions.js";
import { parseUserFieldDefinitions } from "./user-fields.js";
import type { UserFieldDefinition } from "./user-fields.js";
import type { SessionOptions } from "./sessions.js";
import type { SignInPolicy } from "./sign-in-policy.js";
import type {
  AdminUserUpdate, Authenticated, ClientInfo, Identity, NewUser, OAuthOutcome, ProfileUpdate, ProviderInfo, SessionInfo, SignedIn, User, UserPage,
} from "./types.js";

/** Options of {@link Users}. */
export interface UsersOptions {
  store: Store;
  /**
   * The GitHub client. Without it (e.g. the `gatehouse users` CLI), GitHub sign-in and token
   * calls throw `UsersError("github_unavailable")`; everything else works.
   */
  github?: GitHubPort;
  /** At least 32 bytes: key material for sealing tokens at rest. */
  secret: Uint8Array;
  /** Public base URL of the service, e.g. `https://auth.example.com`. */
  publicUrl: string | URL;
  /** The redirect URI registered at GitHub. Default `{publicUrl}/auth/github/callback`. */
  redirectUri?: string;
  /** Hosts (`host` or `host:port`) an absolute `return_to` may point at; default none (paths only). */
  returnToHosts?: readonly string[];
  /** Scopes requested from GitHub. Default `read:user user:email`, plus `read:org` when orgs or teams are required. */
  scopes?: string[];
  policy?: SignInPolicy;
  sessions?: SessionOptions;
  loginLimits?: LoginLimits;
  /** scrypt cost. Default N=2^15, r=8, p=1. */
  passwordParams?: ScryptParams;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** pino's Logger fits. Default: silent. */
  log?: DomainLog;
  /** App-defined user fields (`GATEHOUSE_USER_FIELDS`). Default none. */
  userFields?: readonly UserFieldDefinition[];
  /**
   * Generic sign-in providers (OpenID Connect / OAuth 2), e.g. from `createProvider(settings)`.
   * Their redirect URI is `{publicUrl}/auth/{name}/callback`. Default none.
   */
  providers?: readonly SignInProvider[];
}

/** For a `Users` without a GitHub client (the `gatehouse users` CLI): every GitHub call fails clearly. */
function unconfigured(): Promise<never> {
  return Promise.reject(new UsersError("github_unavailable", "GitHub is not configured here"));
}
const noGitHub: GitHubPort = {
  createAuthorizationUrl: unconfigured,
  handleCallback: unconfigured,
  getIdentity: unconfigured,
  refreshToken: unconfigured,
  getOrgMembership: unconfigured,
  getTeamMembership: unconfigured,
  requestDeviceCode: unconfigured,
  pollDeviceTokenOnce: unconfigured,
};

/**
 * The users domain.
 *
 * @example
 * const store = await openStore("sqlite:./gatehouse.db");
 * const users = new Users({ store, github, secret, publicUrl: "http://127.0.0.1:3000" });
 * const { user, token } = await users.signInWithPassword("alice", "s3cret-pass", { address: "127.0.0.1" });
 * const auth = await users.authenticate(token); // { user, session } | undefined
 */
export class Users {
  /** The sign-in rules in force (read by pages). */
  readonly policy: Readonly<SignInPolicy>;
  readonly #ctx: DomainContext;
  readonly #sessions: Sessions;

  /** The app-defined user fields in force (read by pages). */
  get userFields(): readonly UserFieldDefinition[] {
    return this.#ctx.userFields;
  }

  /** How long a session lives at most (for the cookie's Max-Age). */
  get sessionMaxAgeMs(): number {
    return this.#sessions.maxAgeMs;
  }
  readonly #accounts: Accounts;
  readonly #password: PasswordLogin;
  readonly #github: GitHubSignIn;
  readonly #device: DeviceLogin;
  readonly #vault: GitHubTokenVault;
  readonly #memberships: Memberships;
  readonly #providers: ProviderSignIn;
  readonly #methods: SignInMethods;

  /** The configured generic providers (name and button text), in configuration order; GitHub is not one. */
  get providers(): ProviderInfo[] {
    return this.#providers.list;
  }

  /** The button text of a configured generic provider; `undefined` for any other name (GitHub's included). */
  providerDisplayName(name: string | undefined): string | undefined {
    return name !== undefined && this.#providers.has(name) ? this.#providers.displayName(name) : undefined;
  }

  constructor(options: UsersOptions) {
    const publicUrl = new URL(options.publicUrl);
    this.#ctx = {
      store: options.store,
      now: options.now ?? Date.now,
      box: new SecretBox(options.secret),
      log: options.log ?? silentLog,
      userFields: parseUserFieldDefinitions(options.userFields ?? []),
    };
    this.policy = { signup: "open", ...options.policy };
    const restricted = (options.policy?.orgs?.length ?? 0) + (options.policy?.teams?.length ?? 0) > 0;
    const scopes = options.scopes ?? ["read:user", "user:email", ...(restricted ? ["read:org"] : [])];
    const github = options.github ?? noGitHub;
    this.#sessions = new Sessions(this.#ctx, options.sessions);
    this.#password = new PasswordLogin(this.#ctx, this.#sessions, options.passwordParams, options.loginLimits);
    this.#accounts = new Accounts(this.#ctx, this.#sessions, options.passwordParams, this.#password);
    this.#github = new GitHubSignIn(this.#ctx, github, this.#sessions, {
      publicUrl,
      redirectUri: options.redirectUri ?? githubCallbackUrl(publicUrl),
      scopes,
      policy: this.policy,
      returnToHosts: options.returnToHosts ?? [],
    });
    this.#device = new DeviceLogin(this.#ctx, github, this.#github, scopes, options.loginLimits?.deviceStartsPerAddress);
    this.#vault = new GitHubTokenVault(this.#ctx, github);
    this.#memberships = new Memberships(this.#ctx, github, this.#vault);
    this.#providers = new ProviderSignIn(this.#ctx, this.#sessions, options.providers ?? [], {
      publicUrl,
      signup: this.policy.signup ?? "open",
      returnToHosts: options.returnToHosts ?? [],
      redirectUri: (name) => providerCallbackUrl(publicUrl, name),
    });
    this.#methods = new SignInMethods(this.#ctx);
  }

  // --- sessions -------------------------------------------------------------------------------

  /** The user and session for a bearer token / cookie value; `undefined` when not signed in. */
  authenticate(token: string): Promise<Authenticated | undefined> {
    return this.#sessions.authenticate(token);
  }

  /** The user's live sessions, newest activity first; `currentSessionId` marks the caller's. */
  listSessions(userId: number, currentSessionId?: string): Promise<SessionInfo[]> {
    return this.#sessions.list(userId, currentSessionId);
  }

  /** Revokes one of the user's own sessions (`not_found` if it is not theirs). */
  revokeSession(userId: number, sessionId: string): Promise<void> {
    return this.#sessions.revoke(userId, sessionId);
  }

  /** Signs out: revokes the session of this token server-side. */
  signOut(token: string): Promise<void> {
    return this.#sessions.revokeToken(token);
  }

  // --- password -------------------------------------------------------------------------------

  /** Password sign-in; `invalid_credentials` for unknown user and wrong password alike; rate limited. */
  signInWithPassword(username: unknown, password: unknown, client: ClientInfo = {}): Promise<SignedIn> {
    return this.#password.signIn(username, password, client);
  }

  /** The owner changes their password (the current one is required if set); other sessions end. */
  changePassword(userId: number, currentPassword: string | undefined, newPassword: string, keepSessionId?: string): Promise<void> {
    return this.#accounts.changePassword(userId, currentPassword, newPassword, keepSessionId);
  }

  /** An admin sets or (null) removes a user's password; that user's sessions end. */
  setPassword(username: string, password: string | null): Promise<void> {
    return this.#accounts.setPassword(username, password);
  }

  // --- profile and admin ----------------------------------------------------------------------

  get(userId: number): Promise<User> {
    return this.#accounts.get(userId);
  }

  getByUsername(username: string): Promise<User> {
    return this.#accounts.getByUsername(username);
  }

  /** Own profile: name, email, avatar, theme (never username, role or disabled). */
  updateProfile(userId: number, update: ProfileUpdate): Promise<User> {
    return this.#accounts.updateProfile(userId, update);
  }

  /** Users by username, with optional case-insensitive search; `limit` 1–200 (default 50). */
  list(query: { search?: string; limit?: number; offset?: number } = {}): Promise<UserPage> {
    return this.#accounts.list(query);
  }

  /** Creates a user (admin): optional GitHub login to bind at first sign-in, optional password. */
  create(input: NewUser): Promise<User> {
    return this.#accounts.create(input);
  }

  /** Changes role / disabled (admin). Disabling revokes sessions at once. Keeps one active admin. */
  update(username: string, update: AdminUserUpdate): Promise<User> {
    return this.#accounts.update(username, update);
  }

  /** Deletes a user with their sessions and tokens (admin). Keeps one active admin. */
  delete(username: string): Promise<void> {
    return this.#accounts.delete(username);
  }

  // --- GitHub ---------------------------------------------------------------------------------

  /**
   * Starts a GitHub sign-in: the URL to redirect to and the binding for the HttpOnly cookie. With
   * `linkUserId` (the signed-in user), the callback links GitHub to that account instead.
   */
  beginGitHubSignIn(returnTo?: unknown, options: { linkUserId?: number } = {}): Promise<GitHubAuthorization> {
    return this.#github.begin(returnTo, options);
  }

  /**
   * Completes a GitHub sign-in (or link) from the callback's parameters, for the browser holding
   * `binding`; `currentUserId` is the user of the browser's session, which must have started a link.
   */
  completeGitHubSignIn(binding: string | undefined, params: URLSearchParams, client: ClientInfo = {},
    options: { currentUserId?: number | undefined } = {}): Promise<OAuthOutcome> {
    return this.#github.complete(binding, params, client, options);
  }

  // --- generic providers ----------------------------------------------------------------------

  /** Whether a generic provider of this name is configured. */
  hasProvider(name: string): boolean {
    return this.#providers.has(name);
  }

  /**
   * The redirect URI of a generic provider: its `callbackUrl` (a front end's route) when set, else
   * `{publicUrl}/auth/{name}/callback`. `unknown_provider` for a name not configured.
   */
  providerRedirectUri(name: string): string {
    return this.#providers.redirectUri(name);
  }

  /**
   * Starts a sign-in with a generic provider (`unknown_provider` for a name not configured); with
   * `linkUserId` (the signed-in user), the callback links it to that account instead.
   */
  beginProviderSignIn(name: string, returnTo?: unknown, options: { linkUserId?: number } = {}): Promise<ProviderAuthorizationStart> {
    return this.#providers.begin(name, returnTo, options);
  }

  /** Completes a generic provider's sign-in (or link); the transaction must have been started with that provider. */
  completeProviderSignIn(name: string, binding: string | undefined, params: URLSearchParams, client: ClientInfo = {},
    options: { currentUserId?: number | undefined } = {}): Promise<OAuthOutcome> {
    return this.#providers.complete(name, binding, params, client, options);
  }

  /** A user's linked sign-in identities, GitHub first (one query besides the user's own). */
  async listIdentities(userId: number): Promise<Identity[]> {
    return this.#methods.list(await this.#accounts.get(userId));
  }

  /** The linked identities of the users given (a page of the list), in one query. */
  identitiesOf(users: readonly User[]): Promise<Map<number, Identity[]>> {
    return this.#methods.forUsers(users);
  }

  /**
   * Unlinks a provider (`github` or a generic one) from a user; `last_sign_in_method` when the
   * account would be left without a way to sign in, `not_found` when it is not linked.
   */
  unlinkProvider(userId: number, provider: string): Promise<void> {
    return this.#methods.unlink(userId, provider);
  }

  /** Starts a device login for a command-line client. */
  startDeviceLogin(client: ClientInfo = {}): Promise<DeviceLoginStart> {
    return this.#device.start(client);
  }

  /** Polls a device login once: pending, or signed in. */
  pollDeviceLogin(handle: unknown, client: ClientInfo = {}): Promise<DeviceLoginPoll> {
    return this.#device.poll(handle, client);
  }

  /** A valid GitHub access token for a linked user, refreshed single-flight when expiring. */
  getGitHubToken(userId: number): Promise<string> {
    return this.#vault.get(userId);
  }

  /**
   * Whether a user is an active member of one of `rule.orgs` and of one of `rule.teams`, asked of
   * GitHub with their stored token and cached for a minute. A user without a GitHub link meets no
   * such rule.
   */
  meetsMembership(user: User, rule: MembershipRule): Promise<boolean> {
    return this.#memberships.satisfies(user.id, user.github?.login ?? null, rule);
  }

  // --- maintenance ----------------------------------------------------------------------------

  /** Deletes expired sessions, OAuth transactions and device logins. */
  async purgeExpired(): Promise<{ sessions: number; transactions: number; deviceLogins: number }> {
    const [sessions, transactions, deviceLogins] = await Promise.all([
      this.#sessions.purgeExpired(),
      this.#github.purgeExpired(),
      this.#device.purgeExpired(),
    ]);
    return { sessions, transactions, deviceLogins };
  }
}

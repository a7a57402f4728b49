/**
 * GitHub sign-in (web flow, and the device flow's ending), and linking GitHub to a signed-in
 * account. The OAuth transaction lives server-side (see oauth-transaction.ts); the verifier never
 * leaves the server (RFC 7636, RFC 9700 §2.1.1).
 */
import { StoreError } from "../store/index.js";
import type { Store, UserRow } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { freeUsername } from "./free-username.js";
import { callGitHub } from "./github-failures.js";
import type { GitHubIdentity, GitHubPort, TokenSet } from "./github-port.js";
import { storeTransaction, takeTransaction } from "./oauth-transaction.js";
import { sealContext } from "./seal-context.js";
import type { Sessions } from "./sessions.js";
import { checkMembership } from "./sign-in-policy.js";
import type { SignInPolicy } from "./sign-in-policy.js";
import { toUser } from "./user-record.js";
import type { ClientInfo, OAuthOutcome, SignedIn, SignInMethod, User } from "./types.js";
import { checkReturnTo } from "./validation.js";

/** What the browser needs to start: the URL to send it to and the binding to put in its cookie. */
export interface GitHubAuthorization {
  authorizationUrl: string;
  /** Secret: goes in an HttpOnly cookie only. */
  binding: string;
  expiresAt: Date;
}

/** A completed web sign-in and where to send the browser. */
export interface GitHubSignedIn extends SignedIn {
  returnTo: string;
}

/** A sign-in or a link: who started it. */
export interface BeginOptions {
  /** The signed-in user asking to link; only their session may complete it. */
  linkUserId?: number | undefined;
}

/** Who completes a callback. */
export interface CompleteOptions {
  /** The user of the session completing the callback, if any (a link must be completed by its starter). */
  currentUserId?: number | undefined;
}

/** Settings of the GitHub sign-in. */
export interface GitHubSignInOptions {
  /** The service's public base URL; the callback is `{publicUrl}/auth/github/callback`. */
  publicUrl: URL;
  /** The redirect URI sent to GitHub, built from configuration (never taken from a request). */
  redirectUri: string;
  scopes: string[];
  policy: SignInPolicy;
  /** Hosts an absolute `return_to` may point at (see `checkReturnTo`). */
  returnToHosts: readonly string[];
}

const MAX_ATTEMPTS = 5;

/** Starts and completes GitHub sign-ins. */
export class GitHubSignIn {
  readonly #admins: Set<string>;

  constructor(
    private readonly ctx: DomainContext,
    private readonly github: GitHubPort,
    private readonly sessions: Sessions,
    private readonly options: GitHubSignInOptions,
  ) {
    this.#admins = new Set((options.policy.admins ?? []).map((l) => l.toLowerCase()));
  }

  /**
   * Creates the server-side transaction and the GitHub authorization URL. With `linkUserId`, the
   * callback links the GitHub account to that (signed-in) user instead of signing in.
   */
  async begin(returnTo: unknown, options: BeginOptions = {}): Promise<GitHubAuthorization> {
    const path = checkReturnTo(returnTo, this.options.publicUrl, this.options.returnToHosts);
    const { url, state, codeVerifier } = await this.github.createAuthorizationUrl({
      scopes: this.options.scopes,
      redirectUri: this.options.redirectUri,
    });
    const started = await storeTransaction(this.ctx, {
      provider: "github", state, codeVerifier, nonce: null, redirectUri: this.options.redirectUri, returnTo: path,
      linkUserId: options.linkUserId ?? null,
    }, sealContext.verifier);
    return { authorizationUrl: url.toString(), ...started };
  }

  /**
   * Completes a sign-in (or a link) from GitHub's callback parameters (`code`, `state`, `iss` or
   * `error`), for the browser that holds `binding`. Nothing is created unless everything succeeds.
   */
  async complete(binding: string | undefined, params: URLSearchParams, client: ClientInfo, options: CompleteOptions = {}): Promise<OAuthOutcome> {
    const tx = await takeTransaction(this.ctx, binding, "github", sealContext.verifier, options);
    const tokens = await callGitHub(() =>
      this.github.handleCallback(params, { state: tx.state, codeVerifier: tx.codeVerifier, redirectUri: tx.redirectUri }),
    );
    if (tx.linkUserId !== null) {
      const user = await this.#link(tx.linkUserId, tokens);
      return { linked: true, provider: "github", user, returnTo: tx.returnTo };
    }
    const signedIn = await this.signInWithTokens(tokens, "github", client);
    return { linked: false, ...signedIn, returnTo: tx.returnTo };
  }

  /**
   * Binds the GitHub account of fresh tokens to a signed-in user (the org and team rules are
   * GitHub's sign-in rules: checked when that account signs in, not here). Refused when another
   * account holds that GitHub id (`identity_taken`) or this one holds another (`already_linked`).
   */
  async #link(userId: number, tokens: TokenSet): Promise<User> {
    const gh = (await callGitHub(() => this.github.getIdentity(tokens.accessToken))).user;
    try {
      return await this.ctx.store.transaction(async (store) => {
        const row = await store.users.findByIdForUpdate(userId);
        if (!row) throw new UsersError("not_found", "no such user");
        if (row.disabled !== 0) throw new UsersError("account_disabled", "this account is disabled");
        const holder = await store.users.findByGitHubId(gh.id);
        if (holder && holder.id !== userId) {
          this.ctx.log.info({ userId, githubId: gh.id }, "link refused: the GitHub account belongs to another account");
          throw new UsersError("identity_taken", "that GitHub account is already linked to another account here");
        }
        if (row.github_id !== null && row.github_id !== gh.id) {
          throw new UsersError("already_linked", "this account already has another GitHub account linked; unlink it first");
        }
        const now = this.ctx.now();
        const updated = await store.users.update(userId, { github_id: gh.id, github_login: gh.login, invited_github_login: null, updated_at: now });
        await this.#saveTokens(store, userId, tokens);
        this.ctx.log.info({ userId, githubId: gh.id }, "GitHub linked");
        return toUser(updated ?? row, this.ctx.userFields);
      });
    } catch (err) {
      // Two links of one GitHub account at once: the unique github_id lets one win.
      if (err instanceof StoreError && err.code === "unique_violation") {
        throw new UsersError("identity_taken", "that GitHub account is already linked to another account here", { cause: err });
      }
      throw err;
    }
  }

  /**
   * Given fresh GitHub tokens: identity, policy, then one transaction that finds or creates the
   * user, re-syncs its GitHub fields, stores the sealed tokens and opens a session.
   */
  async signInWithTokens(tokens: TokenSet, method: SignInMethod, client: ClientInfo): Promise<SignedIn> {
    const identity = await callGitHub(() => this.github.getIdentity(tokens.accessToken));
    await checkMembership(this.ctx, this.github, this.options.policy, tokens.accessToken, identity.user.login);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ctx.store.transaction(async (store) => {
          const row = await this.#findOrCreate(store, identity);
          await this.#saveTokens(store, row.id, tokens);
          const { token, session } = await this.sessions.create(store, row.id, method, client);
          this.ctx.log.info({ userId: row.id, githubId: identity.user.id, method }, "signed in");
          return { user: toUser(row, this.ctx.userFields), token, session };
        });
      } catch (err) {
        // Concurrent first sign-ins of one GitHub user: the unique constraint on github_id lets one
        // insert win; the others retry and find that user.
        if (err instanceof StoreError && err.code === "unique_violation" && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  async #findOrCreate(store: Store, identity: GitHubIdentity): Promise<UserRow> {
    const gh = identity.user;
    const now = this.ctx.now();
    // GitHub's profile fields, re-synced at every sign-in, except those set in Gatehouse (by the
    // user or an admin): those keep their value. The login always follows GitHub. Email only from
    // a primary verified address.
    const synced = (row: UserRow | undefined) => ({
      github_login: gh.login,
      ...(row?.name_edited ? {} : { name: gh.name }),
      ...(row?.avatar_edited ? {} : { avatar_url: gh.avatarUrl }),
      ...(identity.email === null || row?.email_edited ? {} : { email: identity.email }),
      last_sign_in_at: now,
      updated_at: now,
    });
    // Identity is the numeric id: a renamed account stays the same user.
    const existing = await store.users.findByGitHubId(gh.id);
    if (existing) {
      if (existing.disabled !== 0) throw new UsersError("account_disabled", "this account is disabled");
      return (await store.users.update(existing.id, synced(existing))) ?? existing;
    }
    const firstAdmin = this.#admins.has(gh.login.toLowerCase());
    // An admin's invite names a login; it is matched once, then bound to the id (a later account
    // that takes over the login cannot claim it: the invite is gone).
    const invite = await store.users.findInvite(gh.login.toLowerCase());
    if (invite) {
      if (invite.disabled !== 0) throw new UsersError("account_disabled", "this account is disabled");
      // Another GitHub id was last seen with this login here: the login changed hands (renamed and
      // re-registered), so this id is not who the admin meant. It waits until the admin removes or
      // re-links that account, or that account signs in under its new login.
      const holder = await store.users.findBoundToGitHubLogin(gh.login.toLowerCase());
      if (holder) {
        this.ctx.log.warn({ githubId: gh.id, holderUserId: holder.id, inviteUserId: invite.id }, "invite not claimed: its login is bound to another GitHub account");
        throw new UsersError("not_invited", "this GitHub login belongs to another account here; ask an admin to confirm your invitation");
      }
      // The invite's role is the admin's choice: the admins list never promotes through an invite.
      const bound = await store.users.update(invite.id, { ...synced(invite), github_id: gh.id, invited_github_login: null });
      if (firstAdmin) this.ctx.log.info({ githubId: gh.id, userId: invite.id }, "listed admin login signed in through an invite: keeps the invited role");
      return bound ?? invite;
    }
    if ((this.options.policy.signup ?? "open") !== "open") {
      this.ctx.log.info({ githubId: gh.id }, "sign-in refused: not invited");
      throw new UsersError("not_invited", "signing up is by invitation only; ask an admin to invite your GitHub account");
    }
    const username = await freeUsername(store, gh.login.toLowerCase());
    // A listed login makes admin only the first account that signs in with it (that account keeps
    // the login as its username). Logins are renamed and re-registered: a later account holding
    // the same login is somebody else and starts as a user.
    const admin = firstAdmin && username === gh.login.toLowerCase();
    if (firstAdmin && !admin) this.ctx.log.warn({ githubId: gh.id }, "admin login already claimed by another account: not made admin");
    return store.users.insert({
      ...synced(undefined),
      username,
      email: identity.email,
      role: admin ? "admin" : "user",
      github_id: gh.id,
      created_at: now,
    });
  }

  async #saveTokens(store: Store, userId: number, tokens: TokenSet): Promise<void> {
    const box = this.ctx.box;
    await store.githubTokens.save(
      userId,
      {
        access_token: box.seal(tokens.accessToken, sealContext.accessToken(userId)),
        refresh_token: tokens.refreshToken === undefined ? null : box.seal(tokens.refreshToken, sealContext.refreshToken(userId)),
        scopes: tokens.scopes.join(","),
        expires_at: tokens.expiresAt?.getTime() ?? null,
        refresh_expires_at: tokens.refreshTokenExpiresAt?.getTime() ?? null,
      },
      this.ctx.now(),
    );
  }

  async purgeExpired(): Promise<number> {
    return this.ctx.store.oauthTransactions.purgeExpired(this.ctx.now());
  }
}

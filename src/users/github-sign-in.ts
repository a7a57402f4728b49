/**
 * GitHub sign-in (web flow, and the device flow's ending). The OAuth transaction (state, PKCE
 * verifier, redirect URI, return path) is stored server-side, keyed by the hash of a random value
 * in an HttpOnly cookie (the "binding"), consumed once atomically, and expires in 10 minutes; the
 * verifier never leaves the server (RFC 7636, RFC 9700 §2.1.1).
 */
import { StoreError } from "../store/index.js";
import type { Store, UserRow } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { callGitHub } from "./github-failures.js";
import type { GitHubIdentity, GitHubPort, TokenSet } from "./github-port.js";
import { hashToken, randomToken } from "./secrets.js";
import type { Sessions } from "./sessions.js";
import { checkMembership } from "./sign-in-policy.js";
import type { SignInPolicy } from "./sign-in-policy.js";
import { toUser } from "./user-record.js";
import type { ClientInfo, SignedIn, SignInMethod } from "./types.js";
import { checkReturnTo } from "./validation.js";

/** How long an authorization may take (GitHub's codes also live 10 minutes). */
const TRANSACTION_TTL_MS = 10 * 60_000;

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

/** Context names the sealed values are bound to (AES-GCM additional data). */
export const sealContext = {
  verifier: (bindingHash: string) => `oauth_transactions.code_verifier:${bindingHash}`,
  accessToken: (userId: number) => `github_tokens.access_token:${userId}`,
  refreshToken: (userId: number) => `github_tokens.refresh_token:${userId}`,
  deviceCode: (handleHash: string) => `device_logins.device_code:${handleHash}`,
};

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

  /** Creates the server-side transaction and the GitHub authorization URL. */
  async begin(returnTo: unknown): Promise<GitHubAuthorization> {
    const path = checkReturnTo(returnTo, this.options.publicUrl, this.options.returnToHosts);
    const { url, state, codeVerifier } = await this.github.createAuthorizationUrl({
      scopes: this.options.scopes,
      redirectUri: this.options.redirectUri,
    });
    const binding = randomToken();
    const bindingHash = hashToken(binding);
    const now = this.ctx.now();
    await this.ctx.store.oauthTransactions.insert({
      binding_hash: bindingHash,
      state,
      code_verifier: this.ctx.box.seal(codeVerifier, sealContext.verifier(bindingHash)),
      redirect_uri: this.options.redirectUri,
      return_to: path,
      created_at: now,
      expires_at: now + TRANSACTION_TTL_MS,
    });
    return { authorizationUrl: url.toString(), binding, expiresAt: new Date(now + TRANSACTION_TTL_MS) };
  }

  /**
   * Completes a sign-in from GitHub's callback parameters (`code`, `state`, `iss` or `error`),
   * for the browser that holds `binding`. Nothing is created unless everything succeeds.
   */
  async complete(binding: string | undefined, params: URLSearchParams, client: ClientInfo): Promise<GitHubSignedIn> {
    // Consume first, whatever follows: a transaction is good for exactly one callback.
    const tx = binding === undefined || binding === "" ? undefined : await this.ctx.store.oauthTransactions.consume(hashToken(binding));
    if (!tx) {
      this.ctx.log.warn({}, "GitHub callback without a pending sign-in for this browser");
      throw new UsersError("invalid_state", "this sign-in was not started in this browser, or was already used; start again");
    }
    if (tx.expires_at <= this.ctx.now()) {
      throw new UsersError("transaction_expired", "the sign-in took too long; start again");
    }
    let codeVerifier: string;
    try {
      codeVerifier = this.ctx.box.open(tx.code_verifier, sealContext.verifier(tx.binding_hash));
    } catch (err) {
      throw new UsersError("invalid_state", "this sign-in could not be resumed; start again", { cause: err });
    }
    const tokens = await callGitHub(() =>
      this.github.handleCallback(params, { state: tx.state, codeVerifier, redirectUri: tx.redirect_uri }),
    );
    const signedIn = await this.signInWithTokens(tokens, "github", client);
    return { ...signedIn, returnTo: tx.return_to };
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
    const username = await this.#freeUsername(store, gh.login.toLowerCase());
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

  /** The login as username, or `login-2`, `login-3`... when another account holds it (e.g. a renamed one's). */
  async #freeUsername(store: Store, login: string): Promise<string> {
    for (let n = 1; n < 100; n++) {
      const candidate = n === 1 ? login : `${login.slice(0, 35)}-${n}`;
      if (!(await store.users.findByUsername(candidate))) return candidate;
    }
    return `${login.slice(0, 20)}-${randomToken().slice(0, 8).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
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

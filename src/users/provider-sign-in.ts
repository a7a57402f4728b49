/**
 * Sign-in and linking with the generic providers (OpenID Connect / OAuth 2, see src/providers).
 * The protocol is the provider's; this file keeps the transaction server-side (oauth-transaction.ts),
 * applies the provider's signup rule, and binds identities: `(provider, subject)`, never an email,
 * so the same address at two providers makes two accounts unless their owner links them.
 */
import { StoreError } from "../store/index.js";
import type { Store, UserRow } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { freeUsername, usernameFrom } from "./free-username.js";
import { storeTransaction, takeTransaction } from "./oauth-transaction.js";
import type { StartedTransaction } from "./oauth-transaction.js";
import { callProvider, PROVIDER_NAME_PATTERN, RESERVED_PROVIDER_NAMES } from "./provider-port.js";
import type { ProviderIdentity, SignInProvider } from "./provider-port.js";
import { sealContext } from "./seal-context.js";
import type { Sessions } from "./sessions.js";
import { toUser } from "./user-record.js";
import type { ClientInfo, OAuthOutcome, ProviderInfo, SignupPolicy, User } from "./types.js";
import { checkReturnTo } from "./validation.js";

/** What the browser needs to start: the provider's URL and the binding for its cookie. */
export interface ProviderAuthorizationStart extends StartedTransaction {
  authorizationUrl: string;
}

/** Settings of the provider sign-in. */
export interface ProviderSignInOptions {
  publicUrl: URL;
  /** The service's signup rule, for providers that set none of their own. */
  signup: SignupPolicy;
  returnToHosts: readonly string[];
  /** The redirect URI of a provider (built in one place: callback-url.ts). */
  redirectUri: (name: string) => string;
}

const MAX_ATTEMPTS = 5;

/** Starts and completes sign-ins and links with the configured generic providers. */
export class ProviderSignIn {
  readonly #providers = new Map<string, SignInProvider>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly sessions: Sessions,
    providers: readonly SignInProvider[],
    private readonly options: ProviderSignInOptions,
  ) {
    for (const provider of providers) {
      const name = provider.settings.name;
      if (!PROVIDER_NAME_PATTERN.test(name) || RESERVED_PROVIDER_NAMES.has(name) || this.#providers.has(name)) {
        throw new UsersError("invalid_input", `provider name ${JSON.stringify(name)} must be unique, [a-z0-9-] (1-32), and not a reserved word (github, check, callback...)`, { field: "providers" });
      }
      this.#providers.set(name, provider);
    }
  }

  /** The configured providers, in configuration order. */
  get list(): ProviderInfo[] {
    return [...this.#providers.values()].map((p) => ({ name: p.settings.name, displayName: p.settings.displayName }));
  }

  /** Where a provider sends the browser back: its front-end `callbackUrl`, else the service's own route. */
  redirectUri(name: string): string {
    return this.#provider(name).settings.callbackUrl ?? this.options.redirectUri(name);
  }

  /** A configured provider's button text (`unknown_provider` for another name). */
  displayName(name: string): string {
    return this.#provider(name).settings.displayName;
  }

  /** Whether a provider of this name is configured. */
  has(name: string): boolean {
    return this.#providers.has(name);
  }

  #provider(name: string): SignInProvider {
    const provider = this.#providers.get(name);
    if (!provider) throw new UsersError("unknown_provider", `no sign-in provider is named ${JSON.stringify(name)}`, { field: "provider" });
    return provider;
  }

  /** Creates the transaction and the provider's authorization URL (a link when `linkUserId` is given). */
  async begin(name: string, returnTo: unknown, options: { linkUserId?: number | undefined } = {}): Promise<ProviderAuthorizationStart> {
    const provider = this.#provider(name);
    const path = checkReturnTo(returnTo, this.options.publicUrl, this.options.returnToHosts);
    const redirectUri = this.redirectUri(name);
    const auth = await callProvider(provider.settings.displayName, () => provider.createAuthorization(redirectUri));
    const started = await storeTransaction(this.ctx, {
      provider: name, state: auth.state, codeVerifier: auth.codeVerifier, nonce: auth.nonce, redirectUri, returnTo: path,
      linkUserId: options.linkUserId ?? null,
    }, (hash) => sealContext.providerVerifier(name, hash));
    return { authorizationUrl: auth.url.toString(), ...started };
  }

  /**
   * Completes a sign-in (or link) for the browser holding `binding`: the transaction must have
   * been started with this provider. Nothing is created unless everything succeeds.
   */
  async complete(name: string, binding: string | undefined, params: URLSearchParams, client: ClientInfo,
    options: { currentUserId?: number | undefined } = {}): Promise<OAuthOutcome> {
    const provider = this.#provider(name);
    const tx = await takeTransaction(this.ctx, binding, name, (hash) => sealContext.providerVerifier(name, hash), options);
    const identity = await callProvider(provider.settings.displayName, () =>
      provider.complete(params, { state: tx.state, codeVerifier: tx.codeVerifier, nonce: tx.nonce, redirectUri: tx.redirectUri }),
    );
    if (tx.linkUserId !== null) {
      const user = await this.#link(provider, tx.linkUserId, identity);
      return { linked: true, provider: name, user, returnTo: tx.returnTo };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const signedIn = await this.ctx.store.transaction(async (store) => {
          const row = await this.#findOrCreate(store, provider, identity);
          const { token, session } = await this.sessions.create(store, row.id, `oauth:${name}`, client);
          this.ctx.log.info({ userId: row.id, provider: name }, "signed in");
          return { user: toUser(row, this.ctx.userFields), token, session };
        });
        return { linked: false, ...signedIn, returnTo: tx.returnTo };
      } catch (err) {
        // Concurrent first sign-ins of one identity (or one username): one insert wins, the others
        // retry and find that user.
        if (err instanceof StoreError && err.code === "unique_violation" && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  async #findOrCreate(store: Store, provider: SignInProvider, identity: ProviderIdentity): Promise<UserRow> {
    const name = provider.settings.name;
    const now = this.ctx.now();
    const bound = await store.identities.find(name, identity.subject);
    if (bound) {
      const row = await store.users.findById(bound.user_id);
      if (!row) throw new UsersError("not_found", "no such user");
      if (row.disabled !== 0) throw new UsersError("account_disabled", "this account is disabled");
      await store.identities.touch(name, identity.subject, { username: identity.username, email: identity.email, last_sign_in_at: now });
      return (await store.users.update(row.id, { last_sign_in_at: now, updated_at: now })) ?? row;
    }
    // Never by email: an account an admin created (the invite) signs in another way and links.
    if ((provider.settings.signup ?? this.options.signup) !== "open") {
      this.ctx.log.info({ provider: name }, "sign-in refused: not invited");
      throw new UsersError("not_invited", `signing up with ${provider.settings.displayName} is by invitation only; ask an admin for an account, then link ${provider.settings.displayName} from your account page`);
    }
    const base = usernameFrom(identity.username) ?? usernameFrom(identity.email?.split("@")[0]) ?? usernameFrom(`${name}-${identity.subject}`) ?? name;
    const user = await store.users.insert({
      username: await freeUsername(store, base),
      name: identity.name,
      email: identity.email,
      avatar_url: identity.avatarUrl,
      role: "user",
      created_at: now,
      updated_at: now,
      last_sign_in_at: now,
    });
    await store.identities.insert({
      provider: name, subject: identity.subject, user_id: user.id, username: identity.username, email: identity.email,
      created_at: now, last_sign_in_at: now,
    });
    this.ctx.log.info({ userId: user.id, provider: name }, "user created by a provider sign-in");
    return user;
  }

  /** Binds an identity to a signed-in user; refused when another account holds it. */
  async #link(provider: SignInProvider, userId: number, identity: ProviderIdentity): Promise<User> {
    const name = provider.settings.name;
    const taken = () => new UsersError("identity_taken", `that ${provider.settings.displayName} account is already linked to another account here`);
    try {
      return await this.ctx.store.transaction(async (store) => {
        const row = await store.users.findByIdForUpdate(userId);
        if (!row) throw new UsersError("not_found", "no such user");
        if (row.disabled !== 0) throw new UsersError("account_disabled", "this account is disabled");
        const bound = await store.identities.find(name, identity.subject);
        if (bound && bound.user_id !== userId) {
          this.ctx.log.info({ userId, provider: name }, "link refused: the identity belongs to another account");
          throw taken();
        }
        if (!bound) {
          await store.identities.insert({
            provider: name, subject: identity.subject, user_id: userId, username: identity.username, email: identity.email,
            created_at: this.ctx.now(), last_sign_in_at: null,
          });
          this.ctx.log.info({ userId, provider: name }, "provider linked");
        }
        return toUser(row, this.ctx.userFields);
      });
    } catch (err) {
      if (err instanceof StoreError && err.code === "unique_violation") {
        if (err.constraint === "identities.user_provider") {
          throw new UsersError("already_linked", `this account already has another ${provider.settings.displayName} account linked; unlink it first`, { cause: err });
        }
        throw taken();
      }
      throw err;
    }
  }
}

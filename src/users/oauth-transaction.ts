/**
 * The server-side OAuth transaction every browser sign-in and link shares (GitHub's and the
 * generic providers'): stored keyed by the hash of a random value in an HttpOnly cookie (the
 * "binding"), the PKCE verifier sealed, consumed once atomically, expiring in 10 minutes. It
 * records which provider it was started for and, for a link, which signed-in user started it.
 */
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { hashToken, randomToken } from "./secrets.js";

/** How long an authorization may take (GitHub's codes also live 10 minutes). */
export const TRANSACTION_TTL_MS = 10 * 60_000;

/** What a started authorization keeps server-side. */
export interface PendingAuthorization {
  /** `github`, or a generic provider's name. */
  provider: string;
  state: string;
  /** Secret: sealed before it is stored. */
  codeVerifier: string;
  nonce: string | null;
  redirectUri: string;
  /** A checked return path. */
  returnTo: string;
  /** The signed-in user who asked to link this provider; `null` for a sign-in. */
  linkUserId: number | null;
}

/** The binding for the browser's HttpOnly cookie, and when it ends. */
export interface StartedTransaction {
  /** Secret: goes in an HttpOnly cookie only. */
  binding: string;
  expiresAt: Date;
}

/** How a provider seals its verifier: the context name for a binding's hash. */
export type VerifierContext = (bindingHash: string) => string;

/**
 * Stores a started authorization.
 *
 * @example
 * const { binding, expiresAt } = await storeTransaction(ctx, pending, (h) => sealContext.verifier(h));
 */
export async function storeTransaction(ctx: DomainContext, pending: PendingAuthorization, sealAs: VerifierContext): Promise<StartedTransaction> {
  const binding = randomToken();
  const bindingHash = hashToken(binding);
  const now = ctx.now();
  await ctx.store.oauthTransactions.insert({
    binding_hash: bindingHash,
    provider: pending.provider,
    state: pending.state,
    code_verifier: ctx.box.seal(pending.codeVerifier, sealAs(bindingHash)),
    nonce: pending.nonce,
    redirect_uri: pending.redirectUri,
    return_to: pending.returnTo,
    link_user_id: pending.linkUserId,
    created_at: now,
    expires_at: now + TRANSACTION_TTL_MS,
  });
  return { binding, expiresAt: new Date(now + TRANSACTION_TTL_MS) };
}

/**
 * Takes the browser's transaction out (whatever follows: a transaction is good for one callback)
 * and checks it: started for `provider`, not expired, its verifier opens, and a link is completed
 * only by the session of the user who started it. Each failure is `invalid_state` (or
 * `transaction_expired`), naming nothing of the transaction.
 *
 * @example
 * const tx = await takeTransaction(ctx, binding, "github", sealContext.verifier, { currentUserId: undefined });
 */
export async function takeTransaction(
  ctx: DomainContext,
  binding: string | undefined,
  provider: string,
  sealAs: VerifierContext,
  options: { currentUserId?: number | undefined },
): Promise<PendingAuthorization> {
  const tx = binding === undefined || binding === "" ? undefined : await ctx.store.oauthTransactions.consume(hashToken(binding));
  if (!tx) {
    ctx.log.warn({ provider }, "OAuth callback without a pending sign-in for this browser");
    throw new UsersError("invalid_state", "this sign-in was not started in this browser, or was already used; start again");
  }
  if (tx.provider !== provider) {
    ctx.log.warn({ provider, startedFor: tx.provider }, "OAuth callback for another provider than the sign-in was started with");
    throw new UsersError("invalid_state", "this sign-in was started with another provider; start again");
  }
  if (tx.expires_at <= ctx.now()) {
    throw new UsersError("transaction_expired", "the sign-in took too long; start again");
  }
  let codeVerifier: string;
  try {
    codeVerifier = ctx.box.open(tx.code_verifier, sealAs(tx.binding_hash));
  } catch (err) {
    throw new UsersError("invalid_state", "this sign-in could not be resumed; start again", { cause: err });
  }
  // A link adds a way into the account that started it: a browser now signed in as somebody else
  // (or signed out) must not complete it, or the identity would land on the wrong account.
  if (tx.link_user_id !== null && tx.link_user_id !== options.currentUserId) {
    ctx.log.warn({ provider, linkUserId: tx.link_user_id }, "link completed by another session than the one that started it");
    throw new UsersError("invalid_state", "this link was started by another session; start again from your account page");
  }
  return {
    provider: tx.provider,
    state: tx.state,
    codeVerifier,
    nonce: tx.nonce,
    redirectUri: tx.redirect_uri,
    returnTo: tx.return_to,
    linkUserId: tx.link_user_id,
  };
}

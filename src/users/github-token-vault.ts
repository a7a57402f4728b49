/**
 * Stored GitHub tokens: sealed at rest; `get` returns a valid access token, refreshing an expiring
 * one single-flight. In one process concurrent callers share one promise; across instances a lease
 * plus compare-and-swap on the row's version keeps two refreshes from spending the same refresh
 * token (GitHub rotates it: the loser would get `bad_refresh_token` and the link would die).
 */
import type { GitHubTokensRow } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { fromGitHubFailure } from "./github-failures.js";
import { GitHubPortError, type GitHubPort } from "./github-port.js";
import { sealContext } from "./seal-context.js";

/** Refresh this long before expiry, so a token handed out does not die in the caller's hands. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** How long an instance may hold the refresh lease. */
const LEASE_MS = 30_000;
const WAIT_STEP_MS = 100;
/** Sleeps before giving up on another instance's refresh: a little longer than its lease. */
const MAX_WAIT_STEPS = Math.ceil((LEASE_MS + 1000) / WAIT_STEP_MS);

/** Hands out valid GitHub access tokens of linked users. */
export class GitHubTokenVault {
  readonly #inFlight = new Map<number, Promise<string>>();

  constructor(private readonly ctx: DomainContext, private readonly github: GitHubPort) {}

  async get(userId: number): Promise<string> {
    const pending = this.#inFlight.get(userId);
    if (pending) return pending;
    const row = await this.#row(userId);
    if (!this.#expiring(row)) return this.#open(row.access_token, sealContext.accessToken(userId));
    const again = this.#inFlight.get(userId);
    if (again) return again;
    const promise = this.#refresh(userId, row).finally(() => this.#inFlight.delete(userId));
    this.#inFlight.set(userId, promise);
    return promise;
  }

  async #row(userId: number): Promise<GitHubTokensRow> {
    const found = await this.ctx.store.githubTokens.findWithUser(userId);
    if (!found) throw new UsersError("no_github_link", "this user has no linked GitHub account");
    // A disabled account keeps its link (re-enabling restores it) but nobody acts as it meanwhile.
    if (found.userDisabled) throw new UsersError("account_disabled", "this account is disabled");
    const row = found.tokens;
    if (row.needs_reauth !== 0) throw new UsersError("github_reauth_required", "the GitHub authorization ended; sign in with GitHub again");
    return row;
  }

  /**
   * Opens a sealed token. It fails when GATEHOUSE_SECRET changed since the sign-in (or the row was
   * tampered with): a coded error the caller can act on, not a crypto exception and a 500.
   */
  #open(sealed: string, context: string): string {
    try {
      return this.ctx.box.open(sealed, context);
    } catch (err) {
      throw new UsersError("github_reauth_required", "the stored GitHub token cannot be decrypted (was the secret changed?); sign in with GitHub again", { cause: err });
    }
  }

  #expiring(row: GitHubTokensRow): boolean {
    return row.expires_at !== null && row.expires_at - REFRESH_MARGIN_MS <= this.ctx.now();
  }

  async #refresh(userId: number, row: GitHubTokensRow): Promise<string> {
    const store = this.ctx.store.githubTokens;
    const now = this.ctx.now();
    if (row.refresh_token === null || (row.refresh_expires_at !== null && row.refresh_expires_at <= now)) {
      if (row.expires_at !== null && row.expires_at > now) return this.#open(row.access_token, sealContext.accessToken(userId));
      await store.markNeedsReauth(userId, row.version, now);
      throw new UsersError("github_reauth_required", "the GitHub authorization expired; sign in with GitHub again");
    }
    if (!(await store.acquireRefreshLease(userId, row.version, now, now + LEASE_MS))) {
      return this.#awaitOtherInstance(userId, row.version);
    }
    let tokens;
    try {
      tokens = await this.github.refreshToken(this.#open(row.refresh_token, sealContext.refreshToken(userId)));
    } catch (err) {
      if (err instanceof GitHubPortError && err.code === "bad_refresh_token") {
        await store.markNeedsReauth(userId, row.version, this.ctx.now());
        this.ctx.log.warn({ userId }, "GitHub refused the refresh token; the link needs a new sign-in");
        throw new UsersError("github_reauth_required", "the GitHub authorization ended; sign in with GitHub again", { cause: err });
      }
      await store.releaseLease(userId, row.version);
      throw fromGitHubFailure(err);
    }
    const box = this.ctx.box;
    const stored = await store.replaceAfterRefresh(userId, row.version, {
      access_token: box.seal(tokens.accessToken, sealContext.accessToken(userId)),
      refresh_token: tokens.refreshToken === undefined ? null : box.seal(tokens.refreshToken, sealContext.refreshToken(userId)),
      scopes: tokens.scopes.join(","),
      expires_at: tokens.expiresAt?.getTime() ?? null,
      refresh_expires_at: tokens.refreshTokenExpiresAt?.getTime() ?? row.refresh_expires_at,
    }, this.ctx.now());
    if (!stored) this.ctx.log.warn({ userId }, "GitHub tokens changed during a refresh (a new sign-in?); keeping the newer row");
    this.ctx.log.info({ userId }, "GitHub token refreshed");
    return tokens.accessToken;
  }

  /**
   * Another instance holds the lease: wait for its write (the version moves), then read it.
   * The wait is bounded by a number of real sleeps, not by a clock: the lease's own expiry is
   * judged with the injected clock (`ctx.now`, as it was written), but a deadline on that clock
   * would never pass under a frozen test clock and the loop would poll forever; a wall-clock
   * deadline would bring back the `Date.now()` the domain otherwise does without.
   */
  async #awaitOtherInstance(userId: number, version: number): Promise<string> {
    for (let step = 0; step < MAX_WAIT_STEPS; step++) {
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
      const row = await this.#row(userId);
      if (row.version !== version) {
        if (this.#expiring(row)) return this.#refresh(userId, row);
        return this.#open(row.access_token, sealContext.accessToken(userId));
      }
      if (row.refreshing_until === null || row.refreshing_until < this.ctx.now()) return this.#refresh(userId, row);
    }
    throw new UsersError("github_timeout", "waiting for another instance's GitHub token refresh timed out");
  }
}

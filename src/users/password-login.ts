/**
 * Password sign-in. Rate limited per username and per client address (in memory, per instance);
 * the same error for an unknown user and a wrong password, with a dummy scrypt run for unknown
 * users so the timing does not tell them apart. A first login never sets a password.
 */
import type { UserRow } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { ScryptParams } from "./passwords.js";
import { attemptLimiter } from "./rate-limiter.js";
import type { AttemptLimiter } from "./rate-limiter.js";
import type { Sessions } from "./sessions.js";
import { toUser } from "./user-record.js";
import type { ClientInfo, SignedIn } from "./types.js";

/** Login rate limits. */
export interface LoginLimits {
  /** Attempts per username per window. Default 5 per 5 minutes. */
  perUsername?: { limit: number; windowMs: number };
  /** Attempts per client address per window. Default 30 per 5 minutes. */
  perAddress?: { limit: number; windowMs: number };
  /**
   * Device logins started per client address per window (each one is a request to GitHub on the
   * app's quota). Default 10 per 5 minutes.
   */
  deviceStartsPerAddress?: { limit: number; windowMs: number };
}

/** Checks passwords and opens sessions. */
export class PasswordLogin {
  readonly #perUsername: AttemptLimiter;
  readonly #perAddress: AttemptLimiter;
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly ctx: DomainContext,
    private readonly sessions: Sessions,
    private readonly passwordParams: ScryptParams | undefined,
    limits: LoginLimits = {},
  ) {
    this.#perUsername = attemptLimiter(ctx.store, "login_user", limits.perUsername ?? { limit: 5, windowMs: 5 * 60_000 }, ctx.now);
    this.#perAddress = attemptLimiter(ctx.store, "login_address", limits.perAddress ?? { limit: 30, windowMs: 5 * 60_000 }, ctx.now);
  }

  async signIn(usernameInput: unknown, password: unknown, client: ClientInfo): Promise<SignedIn> {
    if (typeof usernameInput !== "string" || usernameInput.length === 0 || usernameInput.length > 100) {
      throw new UsersError("invalid_input", "username is required", { field: "username" });
    }
    if (typeof password !== "string" || password.length === 0 || password.length > 1024) {
      throw new UsersError("invalid_input", "password is required", { field: "password" });
    }
    const username = usernameInput.trim().toLowerCase();
    const byAddress = client.address === undefined ? { allowed: true, retryAfter: 0 } : await this.#perAddress.attempt(client.address);
    const byUser = await this.#perUsername.attempt(username);
    if (!byAddress.allowed || !byUser.allowed) {
      this.ctx.log.warn({ reason: byUser.allowed ? "address" : "username" }, "password login rate limited");
      throw new UsersError("rate_limited", "too many sign-in attempts; try again later", {
        retryAfter: Math.max(byAddress.retryAfter, byUser.retryAfter),
      });
    }
    const row = await this.ctx.store.users.findByUsername(username);
    // Unknown users and users without a password still pay for one scrypt run.
    const hash = row?.password_hash ?? (await this.#dummy());
    const ok = await verifyPassword(password, hash);
    if (!row || row.password_hash === null || !ok) {
      this.ctx.log.info({}, "password login failed");
      throw new UsersError("invalid_credentials", "wrong username or password");
    }
    if (row.disabled !== 0) throw new UsersError("account_disabled", "this account is disabled");
    await this.#perUsername.reset(username);
    const now = this.ctx.now();
    return this.ctx.store.transaction(async (tx) => {
      const updated = await tx.users.update(row.id, { last_sign_in_at: now });
      const { token, session } = await this.sessions.create(tx, row.id, "password", client);
      this.ctx.log.info({ userId: row.id, method: "password" }, "signed in");
      return { user: toUser(updated ?? row, this.ctx.userFields), token, session };
    });
  }

  /**
   * Re-authentication before a password change, under the same per-username limit as sign-in: a
   * stolen session must not be able to guess the current password without bound.
   */
  async verifyCurrent(row: UserRow, password: unknown): Promise<boolean> {
    const decision = await this.#perUsername.attempt(row.username);
    if (!decision.allowed) {
      this.ctx.log.warn({ userId: row.id, reason: "username" }, "password re-authentication rate limited");
      throw new UsersError("rate_limited", "too many password attempts; try again later", { retryAfter: decision.retryAfter });
    }
    if (typeof password !== "string" || password.length > 1024 || row.password_hash === null) return false;
    const ok = await verifyPassword(password, row.password_hash);
    if (ok) await this.#perUsername.reset(row.username);
    return ok;
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword("gatehouse dummy password", this.passwordParams);
    return this.#dummyHash;
  }
}

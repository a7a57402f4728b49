/**
 * Device login for command-line clients, with the server running GitHub's device flow (RFC 8628).
 * The client holds an opaque handle (only its hash is stored); the device code stays sealed on the
 * server. Each client poll makes at most one token request, and none before GitHub's interval has
 * passed (GitHub answers `slow_down` and raises the interval by 5 s otherwise).
 */
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { callGitHub, fromGitHubFailure } from "./github-failures.js";
import { GitHubPortError, type GitHubPort, type TokenSet } from "./github-port.js";
import { hashToken, randomToken } from "./secrets.js";
import { sealContext } from "./seal-context.js";
import type { GitHubSignIn } from "./github-sign-in.js";
import { attemptLimiter } from "./rate-limiter.js";
import type { AttemptLimiter } from "./rate-limiter.js";
import type { ClientInfo, SignedIn } from "./types.js";

/** What the command-line client shows and keeps. */
export interface DeviceLoginStart {
  /** Secret to the client: it polls with it. */
  handle: string;
  userCode: string;
  verificationUri: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

/** A poll's outcome. */
export type DeviceLoginPoll = { status: "pending"; interval: number } | ({ status: "complete" } & SignedIn);

/** A handle that names no device login: never issued, already used, or purged after expiry. */
function unknownHandle(): UsersError {
  return new UsersError("device_login_expired", "this device login is unknown or has expired; start again");
}

/** Starts and polls device logins. */
export class DeviceLogin {
  readonly #startsPerAddress: AttemptLimiter;

  constructor(
    private readonly ctx: DomainContext,
    private readonly github: GitHubPort,
    private readonly signIn: GitHubSignIn,
    private readonly scopes: string[],
    limit: { limit: number; windowMs: number } = { limit: 10, windowMs: 5 * 60_000 },
  ) {
    this.#startsPerAddress = attemptLimiter(ctx.store, "device_start_address", limit, ctx.now);
  }

  async start(client: ClientInfo): Promise<DeviceLoginStart> {
    // Anonymous, and each start costs a request to GitHub on the app's quota: bound it per address.
    const decision = client.address === undefined ? undefined : await this.#startsPerAddress.attempt(client.address);
    if (decision && !decision.allowed) {
      this.ctx.log.warn({}, "device login start rate limited");
      throw new UsersError("rate_limited", "too many device logins started from this address; try again later", { retryAfter: decision.retryAfter });
    }
    const device = await callGitHub(() => this.github.requestDeviceCode({ scopes: this.scopes }));
    const handle = randomToken();
    const handleHash = hashToken(handle);
    const now = this.ctx.now();
    const expiresAt = device.expiresAt.getTime();
    await this.ctx.store.deviceLogins.insert({
      handle_hash: handleHash,
      device_code: this.ctx.box.seal(device.deviceCode, sealContext.deviceCode(handleHash)),
      interval_s: device.interval,
      next_poll_at: now,
      expires_at: expiresAt,
      user_agent: client.userAgent?.slice(0, 400) ?? null,
      created_at: now,
    });
    return {
      handle,
      userCode: device.userCode,
      verificationUri: device.verificationUri,
      expiresIn: Math.max(0, Math.round((expiresAt - now) / 1000)),
      interval: device.interval,
    };
  }

  async poll(handle: unknown, client: ClientInfo): Promise<DeviceLoginPoll> {
    if (typeof handle !== "string" || handle.length === 0) {
      throw new UsersError("invalid_input", "handle is required", { field: "handle" });
    }
    // A handle of a length we never issue cannot be found: the same answer as any unknown one.
    if (handle.length < 20 || handle.length > 200) throw unknownHandle();
    const handleHash = hashToken(handle);
    const now = this.ctx.now();
    const row = await this.ctx.store.deviceLogins.find(handleHash);
    if (!row) throw unknownHandle();
    if (row.expires_at <= now) {
      await this.ctx.store.deviceLogins.consume(handleHash);
      throw new UsersError("device_login_expired", "the device code expired; start again");
    }
    const claimed = await this.ctx.store.deviceLogins.claimPoll(handleHash, now);
    if (!claimed) return { status: "pending", interval: row.interval_s };
    let deviceCode: string;
    try {
      deviceCode = this.ctx.box.open(claimed.device_code, sealContext.deviceCode(handleHash));
    } catch (err) {
      // Sealed under another secret (changed since the start, or another instance's): unusable.
      await this.ctx.store.deviceLogins.consume(handleHash);
      throw new UsersError("device_login_expired", "this device login cannot be resumed; start again", { cause: err });
    }
    let tokens: TokenSet;
    try {
      tokens = await this.github.pollDeviceTokenOnce(deviceCode);
    } catch (err) {
      if (err instanceof GitHubPortError) {
        switch (err.code) {
          case "authorization_pending":
            return { status: "pending", interval: claimed.interval_s };
          case "slow_down": {
            // GitHub's new interval (old + 5 s) applies to every later poll.
            const interval = err.interval ?? claimed.interval_s + 5;
            await this.ctx.store.deviceLogins.setInterval(handleHash, interval, now + interval * 1000);
            return { status: "pending", interval };
          }
          case "expired":
          case "invalid_code": // GitHub has answered `bad_verification_code` for a dead device code
            await this.ctx.store.deviceLogins.consume(handleHash);
            throw new UsersError("device_login_expired", "the device code expired; start again", { cause: err });
          case "access_denied":
            await this.ctx.store.deviceLogins.consume(handleHash);
            throw new UsersError("device_login_denied", "the sign-in was cancelled on GitHub", { cause: err });
        }
      }
      throw fromGitHubFailure(err);
    }
    // One caller consumes the row; it alone turns the token into a session.
    if (!(await this.ctx.store.deviceLogins.consume(handleHash))) {
      throw new UsersError("device_login_expired", "this device login is over; start again");
    }
    const signedIn = await this.signIn.signInWithTokens(tokens, "device", client);
    return { status: "complete", ...signedIn };
  }

  async purgeExpired(): Promise<number> {
    return this.ctx.store.deviceLogins.purgeExpired(this.ctx.now());
  }
}

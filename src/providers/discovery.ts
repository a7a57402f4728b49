/**
 * An OpenID provider's metadata, from `{issuer}/.well-known/openid-configuration` (OpenID Connect
 * Discovery 1.0 §4), kept for a while: fetched on first use, refetched after `ttlMs`. A failed
 * refetch keeps the last good document in use and is retried after `retryMs`; without one, the
 * failure is remembered for `retryMs` so a provider that is down is not asked on every sign-in.
 */
import * as oauth from "oauth4webapi";
import type { ProviderError } from "./errors.js";
import { toProviderError } from "./failures.js";
import type { Transport } from "./transport.js";

/** Default lifetime of a discovery document: one hour. */
export const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** Default wait before a failed discovery is tried again. */
export const DISCOVERY_RETRY_MS = 5 * 1000;

/** What the cache logs (a pino logger fits). */
export interface DiscoveryLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/**
 * A cached discovery of one issuer.
 *
 * @example
 * const discovery = new DiscoveryCache("gitlab", "https://gitlab.com", transport, Date.now);
 * const as = await discovery.get(); // oauth4webapi's AuthorizationServer, issuer checked
 */
export class DiscoveryCache {
  #current: { as: oauth.AuthorizationServer; fetchedAt: number } | undefined;
  #failure: { error: ProviderError; at: number } | undefined;
  #pending: Promise<oauth.AuthorizationServer> | undefined;

  constructor(
    private readonly name: string,
    private readonly issuer: string,
    private readonly transport: Transport,
    private readonly now: () => number,
    private readonly options: { ttlMs?: number; retryMs?: number; log?: DiscoveryLog } = {},
  ) {}

  /** The metadata; fetched when absent or stale. Throws `ProviderError`. */
  async get(): Promise<oauth.AuthorizationServer> {
    const now = this.now();
    const current = this.#current;
    if (current !== undefined && now - current.fetchedAt < (this.options.ttlMs ?? DISCOVERY_TTL_MS)) return current.as;
    const failure = this.#failure;
    if (failure !== undefined && now - failure.at < (this.options.retryMs ?? DISCOVERY_RETRY_MS)) {
      if (current !== undefined) return current.as;
      throw failure.error;
    }
    // One request at a time however many sign-ins start together.
    this.#pending ??= this.#fetch().finally(() => { this.#pending = undefined; });
    try {
      return await this.#pending;
    } catch (err) {
      if (current === undefined) throw err;
      return current.as;
    }
  }

  /**
   * Replaces the document in use by an equal copy: oauth4webapi keys its JWKS cache by this
   * object, so a copy starts with no JWKS of its own (see `IdTokenKeys`).
   */
  replace(as: oauth.AuthorizationServer): void {
    if (this.#current !== undefined) this.#current = { ...this.#current, as };
  }

  async #fetch(): Promise<oauth.AuthorizationServer> {
    try {
      const expected = new URL(this.issuer);
      const res = await oauth.discoveryRequest(expected, { ...this.transport.options, algorithm: "oidc" });
      const as = await oauth.processDiscoveryResponse(expected, res);
      this.#current = { as, fetchedAt: this.now() };
      this.#failure = undefined;
      return as;
    } catch (err) {
      const error = toProviderError(err, "discovery", this.name);
      this.#failure = { error, at: this.now() };
      this.options.log?.warn({ provider: this.name, code: error.code }, `discovery of ${this.name} failed: ${error.message}`);
      throw error;
    }
  }
}

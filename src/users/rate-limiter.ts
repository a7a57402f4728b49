/**
 * An in-memory sliding-window rate limiter (one process: with several instances each counts its own
 * attempts, so the effective limit is per instance).
 */

/** The answer to one attempt. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the next attempt would be allowed (0 when allowed). */
  retryAfter: number;
}

/**
 * What the domain counts attempts with: the in-memory {@link SlidingWindowLimiter}, or a limit
 * the store shares between instances (PostgreSQL).
 */
export interface AttemptLimiter {
  attempt(key: string): RateDecision | Promise<RateDecision>;
  reset(key: string): void | Promise<void>;
}

/**
 * The store's shared limit when it has one (PostgreSQL: every instance counts the same attempts),
 * else one in this process's memory.
 *
 * @example
 * const perUser = attemptLimiter(ctx.store, "login_user", { limit: 5, windowMs: 300_000 }, ctx.now);
 */
export function attemptLimiter(
  store: { sharedLimiter(name: string, options: { limit: number; windowMs: number }): AttemptLimiter | undefined },
  name: string,
  options: { limit: number; windowMs: number },
  now: () => number,
): AttemptLimiter {
  return store.sharedLimiter(name, options) ?? new SlidingWindowLimiter({ ...options, now });
}

/** Options of {@link SlidingWindowLimiter}. */
export interface SlidingWindowOptions {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Keys tracked at most; the oldest are dropped beyond it (bounds memory under a flood). */
  maxKeys?: number;
}

/**
 * Counts attempts per key over the last `windowMs`.
 *
 * @example
 * const perUser = new SlidingWindowLimiter({ limit: 5, windowMs: 60_000 });
 * const d = perUser.attempt("alice"); if (!d.allowed) throw tooMany(d.retryAfter);
 */
export class SlidingWindowLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(options: SlidingWindowOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  #recent(key: string, now: number): number[] {
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    if (hits.length === 0) this.#hits.delete(key);
    return hits;
  }

  /** Whether an attempt would be allowed now, without counting it. */
  check(key: string): RateDecision {
    const now = this.#now();
    const hits = this.#recent(key, now);
    if (hits.length < this.#limit) return { allowed: true, retryAfter: 0 };
    const oldest = hits[hits.length - this.#limit] ?? now;
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((oldest + this.#windowMs - now) / 1000)) };
  }

  /** Counts an attempt and says whether it is allowed. */
  attempt(key: string): RateDecision {
    const decision = this.check(key);
    if (!decision.allowed) return decision;
    const now = this.#now();
    const hits = this.#recent(key, now);
    hits.push(now);
    this.#hits.delete(key); // re-insert: Map order = least recently used first
    this.#hits.set(key, hits);
    if (this.#hits.size > this.#maxKeys) {
      const oldest = this.#hits.keys().next();
      if (!oldest.done) this.#hits.delete(oldest.value);
    }
    return decision;
  }

  /** Forgets a key (after a successful login for that username). */
  reset(key: string): void {
    this.#hits.delete(key);
  }
}

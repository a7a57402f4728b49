/**
 * Attempt limits kept in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres over the store's
 * pool), so every instance on one database counts the same attempts: N instances no longer allow
 * N times the guesses. Fixed windows of `windowMs` per key; the table comes from a migration.
 */
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

/** The answer to one attempt (the same shape as the in-memory limiter's). */
export interface SharedRateDecision {
  allowed: boolean;
  /** Seconds until the next attempt would be allowed (0 when allowed). */
  retryAfter: number;
}

/** A limit shared through the database. */
export interface SharedLimiter {
  attempt(key: string): Promise<SharedRateDecision>;
  reset(key: string): Promise<void>;
}

/** The table migration `0004_rate_limits` creates (the layout RateLimiterPostgres expects). */
export const RATE_LIMITS_TABLE = "rate_limits";

/**
 * @example
 * const perUser = postgresLimiter(pool, "login_user", { limit: 5, windowMs: 300_000 });
 * if (!(await perUser.attempt("alice")).allowed) refuse();
 */
export function postgresLimiter(pool: pg.Pool, name: string, options: { limit: number; windowMs: number }): SharedLimiter {
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: RATE_LIMITS_TABLE,
    tableCreated: true,
    keyPrefix: name,
    points: options.limit,
    duration: Math.max(1, Math.ceil(options.windowMs / 1000)),
    // The library's own unref'd timer deletes rows expired over an hour ago, every 5 minutes.
    clearExpiredByTimeout: true,
  });
  return {
    async attempt(key) {
      try {
        await limiter.consume(key);
        return { allowed: true, retryAfter: 0 };
      } catch (res) {
        // Refusals arrive as a rejected RateLimiterRes; a database failure as an Error (answered 503).
        if (res instanceof RateLimiterRes) return { allowed: false, retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
        throw res;
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

/**
 * Which driver errors mean "the database cannot serve now" (down, restarting, read-only, full,
 * locked) rather than "this query is wrong": the service answers those with 503 and retries later.
 */

// SQLite result codes (better-sqlite3 puts the extended name in `code`, e.g. SQLITE_READONLY_DBMOVED).
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|NOTADB|CORRUPT|PROTOCOL)(_|$)/;
// Node's socket errors on the way to PostgreSQL.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// SQLSTATE: 08 connection exception, 53 insufficient resources (disk full, too many connections),
// 57P01-57P03 shut down / cannot connect now, 58 system error, 25006 read-only (a standby after failover).
const PG_UNAVAILABLE = /^(08...|53...|57P0[123]|58...|25006)$/;
// pg and Kysely say these in words only.
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /driver has already been destroyed/i,
  /The database connection is not open/i,
];

function codeOf(err: object): string | undefined {
  return "code" in err && typeof err.code === "string" ? err.code : undefined;
}

/**
 * True when `err` (or an error it wraps) says the database is unavailable, not that the query failed.
 *
 * @example
 * try { await store.users.list({}); }
 * catch (err) { if (isDatabaseUnavailable(err)) return answer503(); throw err; }
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof e !== "object" || e === null) return false;
    const code = codeOf(e);
    if (code !== undefined && (SQLITE_UNAVAILABLE.test(code) || NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code))) return true;
    const message = e instanceof Error ? e.message : "";
    if (MESSAGES.some((m) => m.test(message))) return true;
    // Node's happy-eyeballs connect reports every address tried in an AggregateError.
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    e = "cause" in e ? e.cause : undefined;
  }
  return false;
}

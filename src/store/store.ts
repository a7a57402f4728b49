/**
 * Opens the database (SQLite by default, PostgreSQL for several instances) and groups the
 * repositories. Nothing above `store/` writes SQL.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import type { Transaction } from "kysely";
import BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Database } from "./schema.js";
import { StoreError } from "./errors.js";
import { migrateToLatest } from "./migrations.js";
import type { Dialect, MigrationOutcome } from "./migrations.js";
import { UsersRepository } from "./users-repository.js";
import { SessionsRepository } from "./sessions-repository.js";
import { OAuthTransactionsRepository } from "./oauth-transactions-repository.js";
import { DeviceLoginsRepository } from "./device-logins-repository.js";
import { GitHubTokensRepository } from "./github-tokens-repository.js";
import { IdentitiesRepository } from "./identities-repository.js";
import { postgresSessionLookup, sqliteSessionLookup } from "./session-lookup.js";
import { reusingStatements } from "./sqlite-statements.js";
import type { SessionLookup } from "./session-lookup.js";
import type { SharedLimiter } from "./shared-limiter.js";

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** Bring the schema up to date on open. Default `true`. */
  migrate?: boolean;
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
}

/** The database of `gatehouse serve`, the CLI and `createGatehouse` when none is given: a SQLite file here. */
export const DEFAULT_DATABASE_URL = "sqlite:./gatehouse.db";

/** Where a database URL points. */
export type ParsedDatabaseUrl = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

/**
 * Parses `sqlite:PATH` (`sqlite::memory:` for a throwaway in-memory database) or
 * `postgres://...` / `postgresql://...`.
 *
 * @example
 * parseDatabaseUrl("sqlite:./gatehouse.db"); // { dialect: "sqlite", path: "./gatehouse.db" }
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { dialect: "postgres", url };
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") throw new StoreError("unsupported_database_url", "a sqlite: URL needs a path, e.g. sqlite:./gatehouse.db");
    return { dialect: "sqlite", path };
  }
  throw new StoreError("unsupported_database_url", "the database URL must start with sqlite: or postgres://");
}

// pg returns int8 as strings (it may exceed 2^53); ours are epoch milliseconds and GitHub ids, which fit.
const INT8_OID = 20;
function pgTypes(types: typeof pg.types): { getTypeParser: typeof pg.types.getTypeParser } {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === INT8_OID ? (value: string) => Number(value) : types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
  };
}

/** Makes a limit shared by every instance on the database (PostgreSQL's; see shared-limiter.ts). */
type SharedLimiterFactory = (name: string, options: { limit: number; windowMs: number }) => SharedLimiter;

/**
 * The repositories over one connection or one transaction.
 *
 * @example
 * const store = await openStore("sqlite:./gatehouse.db");
 * const alice = await store.users.findByUsername("alice");
 * await store.close();
 */
export class Store {
  readonly users: UsersRepository;
  readonly sessions: SessionsRepository;
  readonly oauthTransactions: OAuthTransactionsRepository;
  readonly deviceLogins: DeviceLoginsRepository;
  readonly githubTokens: GitHubTokensRepository;
  readonly identities: IdentitiesRepository;

  /** @internal Use {@link openStore}. */
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly inTransaction = false,
    sessionLookup?: SessionLookup,
    private readonly sharedLimiters?: SharedLimiterFactory,
  ) {
    this.users = new UsersRepository(db, dialect);
    this.sessions = new SessionsRepository(db, dialect, sessionLookup);
    this.oauthTransactions = new OAuthTransactionsRepository(db, dialect);
    this.deviceLogins = new DeviceLoginsRepository(db);
    this.githubTokens = new GitHubTokensRepository(db, dialect);
    this.identities = new IdentitiesRepository(db);
  }

  /** Runs `fn` in one transaction: all of it commits or none of it does. Nested calls reuse it. */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx: Transaction<Database>) => fn(new Store(trx, this.dialect, true, undefined, this.sharedLimiters)));
  }

  /**
   * An attempt limit every instance on this database shares (PostgreSQL); `undefined` for SQLite,
   * which serves one process and counts in memory.
   */
  sharedLimiter(name: string, options: { limit: number; windowMs: number }): SharedLimiter | undefined {
    return this.sharedLimiters?.(name, options);
  }

  /** A round trip to the database, for health checks. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /**
   * Rewrites one row: proves the database takes writes (a read-only SQLite file, a full disk, a
   * PostgreSQL standby or a locked file answer `select 1` but fail this).
   */
  async probeWrite(now: number): Promise<void> {
    await this.db
      .insertInto("health_probe")
      .values({ id: 1, checked_at: now })
      .onConflict((oc) => oc.column("id").doUpdateSet({ checked_at: now }))
      .execute();
  }

  /** Applies pending migrations. */
  async migrate(): Promise<MigrationOutcome> {
    return migrateToLatest(this.db, this.dialect);
  }

  /** Closes the connection pool / database file. */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * Opens a store and (by default) migrates it. SQLite runs in WAL mode with foreign keys on and a
 * busy timeout, so several processes (the server and the `gatehouse users` CLI) can share the file.
 *
 * @example
 * const store = await openStore(process.env.GATEHOUSE_DATABASE_URL ?? "sqlite:./gatehouse.db");
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const parsed = parseDatabaseUrl(url);
  let store: Store;
  if (parsed.dialect === "sqlite") {
    let file: BetterSqlite3.Database;
    try {
      if (parsed.path !== ":memory:") mkdirSync(dirname(resolve(parsed.path)), { recursive: true });
      file = new BetterSqlite3(parsed.path);
      file.pragma("journal_mode = WAL");
      file.pragma("foreign_keys = ON");
      file.pragma("busy_timeout = 5000");
      file.pragma("synchronous = NORMAL");
    } catch (err) {
      throw new StoreError("connection_failed", `cannot open the SQLite database at ${parsed.path}`, { cause: err });
    }
    store = new Store(new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(file) }) }), "sqlite", false, sqliteSessionLookup(file));
  } else {
    // Loaded only here: a SQLite service never reads pg's and rate-limiter-flexible's 82 files
    // (measured: 426 → 402 ms median to listening, 12 alternating starts; bench/README.md).
    const [{ default: pg }, { postgresLimiter }] = await Promise.all([import("pg"), import("./shared-limiter.js")]);
    const pool = new pg.Pool({
      connectionString: parsed.url,
      max: options.poolSize ?? 10,
      types: pgTypes(pg.types),
      // A database that does not answer at all (a dropped network) fails the request instead of hanging it.
      connectionTimeoutMillis: 5000,
    });
    // The server can end any connection (restart, failover, pg_terminate_backend, an idle-timeout
    // proxy). pg emits 'error' on the pool for an idle client and on the client itself for one in
    // use, and an unhandled 'error' event ends the process. The query in flight fails on its own
    // (the caller answers 503), the pool drops the broken client, and the next query reconnects.
    const ignore = () => undefined;
    pool.on("error", ignore);
    pool.on("connect", (client) => client.on("error", ignore));
    store = new Store(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), "postgres", false, postgresSessionLookup(pool), (name, limit) => postgresLimiter(pool, name, limit));
    try {
      await store.ping();
    } catch (err) {
      await store.close().catch(() => undefined);
      // The message names no credentials: the URL may carry a password.
      throw new StoreError("connection_failed", "cannot connect to the PostgreSQL database", { cause: err });
    }
  }
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
  }
  return store;
}

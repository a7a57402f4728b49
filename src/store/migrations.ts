/**
 * Schema migrations, provided in code (not read from disk) so the built package carries them.
 * Unique constraints carry the invariants: one user per GitHub id, one session per token hash,
 * unique usernames, one pending invite per GitHub login. A shipped migration is never edited: a
 * change of schema is a new entry in `migrationsFor`.
 */
import { Migrator, sql } from "kysely";
import type { Kysely, Migration, MigrationProvider, MigrationResultSet } from "kysely";
import { StoreError } from "./errors.js";

/** Which SQL database a store talks to. */
export type Dialect = "sqlite" | "postgres";

function initial(dialect: Dialect): Migration {
  // 64-bit columns: GitHub ids are int64, instants are epoch milliseconds.
  const big = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("users")
        .addColumn("id", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("email", "text")
        .addColumn("avatar_url", "text")
        .addColumn("theme", "text")
        .addColumn("role", "text", (c) => c.notNull().defaultTo("user"))
        .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("password_hash", "text")
        .addColumn("github_id", big)
        .addColumn("github_login", "text")
        .addColumn("invited_github_login", "text")
        .addColumn("created_at", big, (c) => c.notNull())
        .addColumn("updated_at", big, (c) => c.notNull())
        .addColumn("last_sign_in_at", big)
        .addUniqueConstraint("users_username_unique", ["username"])
        .addUniqueConstraint("users_github_id_unique", ["github_id"])
        .addUniqueConstraint("users_invited_github_login_unique", ["invited_github_login"])
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("user_agent", "text")
        .addColumn("ip", "text")
        .addColumn("created_at", big, (c) => c.notNull())
        .addColumn("last_seen_at", big, (c) => c.notNull())
        .addColumn("expires_at", big, (c) => c.notNull())
        .addUniqueConstraint("sessions_token_hash_unique", ["token_hash"])
        .execute();
      await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();
      await db.schema.createIndex("sessions_expires_at_idx").on("sessions").column("expires_at").execute();

      await db.schema
        .createTable("oauth_transactions")
        .addColumn("binding_hash", "text", (c) => c.primaryKey())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("code_verifier", "text", (c) => c.notNull())
        .addColumn("redirect_uri", "text", (c) => c.notNull())
        .addColumn("return_to", "text", (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addColumn("expires_at", big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("oauth_transactions_expires_at_idx").on("oauth_transactions").column("expires_at").execute();

      await db.schema
        .createTable("device_logins")
        .addColumn("handle_hash", "text", (c) => c.primaryKey())
        .addColumn("device_code", "text", (c) => c.notNull())
        .addColumn("interval_s", "integer", (c) => c.notNull())
        .addColumn("next_poll_at", big, (c) => c.notNull())
        .addColumn("expires_at", big, (c) => c.notNull())
        .addColumn("user_agent", "text")
        .addColumn("created_at", big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("device_logins_expires_at_idx").on("device_logins").column("expires_at").execute();

      await db.schema
        .createTable("github_tokens")
        .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
        .addColumn("access_token", "text", (c) => c.notNull())
        .addColumn("refresh_token", "text")
        .addColumn("scopes", "text", (c) => c.notNull())
        .addColumn("expires_at", big)
        .addColumn("refresh_expires_at", big)
        .addColumn("needs_reauth", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("refreshing_until", big)
        .addColumn("updated_at", big, (c) => c.notNull())
        .execute();
      // Keep `sql` referenced for future data migrations without a lint exception.
      void sql;
    },
  };
}

/**
 * Which of the GitHub-synced profile fields (name, email, avatar) were set in Gatehouse: a GitHub
 * sign-in leaves those alone and re-syncs only the others. Existing rows start "not edited", which
 * is how they behaved until now. One ALTER per column: SQLite adds one column per statement.
 */
const profileEdited: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of ["name_edited", "email_edited", "avatar_edited"]) {
      await db.schema.alterTable("users").addColumn(column, "integer", (c) => c.notNull().defaultTo(0)).execute();
    }
  },
};

/**
 * One row that `/healthz` rewrites to prove the database takes writes (a read-only file, a full
 * disk or a standby answer reads but refuse this).
 */
function healthProbe(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("health_probe")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("checked_at", dialect === "postgres" ? "bigint" : "integer", (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * Attempt counters shared by every instance on one PostgreSQL (password guesses, device starts);
 * SQLite serves one process and keeps them in memory. The layout is rate-limiter-flexible's.
 */
function rateLimits(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== "postgres") return;
      await db.schema
        .createTable("rate_limits")
        .addColumn("key", "varchar(255)", (c) => c.primaryKey())
        .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("expire", "bigint")
        .execute();
    },
  };
}

/** App-defined user fields (`GATEHOUSE_USER_FIELDS`): one JSON object per user, checked by the domain on every write. */
const userFields: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable("users").addColumn("fields", "text").execute();
  },
};

/**
 * Sign-in identities of the generic providers (OpenID Connect / OAuth 2): one row per
 * `(provider, subject)` — the issuer's subject, never an email — bound to one user. GitHub keeps
 * its identity on `users.github_id`. The unique `(user_id, provider)` index serves the lookups by
 * user and keeps one identity per provider on an account. Pending authorizations learn which
 * provider they belong to (existing rows were all GitHub's), their OIDC nonce, and the signed-in
 * user a link was started by.
 */
function identities(dialect: Dialect): Migration {
  const big = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("identities")
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("username", "text")
        .addColumn("email", "text")
        .addColumn("created_at", big, (c) => c.notNull())
        .addColumn("last_sign_in_at", big)
        .addPrimaryKeyConstraint("identities_pkey", ["provider", "subject"])
        .execute();
      await db.schema.createIndex("identities_user_provider_unique").on("identities").columns(["user_id", "provider"]).unique().execute();
      await db.schema.alterTable("oauth_transactions").addColumn("provider", "text", (c) => c.notNull().defaultTo("github")).execute();
      await db.schema.alterTable("oauth_transactions").addColumn("nonce", "text").execute();
      await db.schema
        .alterTable("oauth_transactions")
        .addColumn("link_user_id", "integer", (c) => c.references("users.id").onDelete("cascade"))
        .execute();
    },
  };
}

/** The migrations, in order; names sort in the order they run. */
function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    "0001_initial": initial(dialect), "0002_profile_edited": profileEdited, "0003_health_probe": healthProbe(dialect),
    "0004_rate_limits": rateLimits(dialect), "0005_user_fields": userFields, "0006_identities": identities(dialect),
  };
}

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}

/** The outcome of bringing a database up to date: names of the migrations applied now. */
export interface MigrationOutcome {
  applied: string[];
}

/**
 * Applies every pending migration (Kysely's Migrator locks, so two instances starting at once are safe).
 *
 * @example
 * const { applied } = await migrateToLatest(db, "sqlite");
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: Dialect): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: new CodeMigrationProvider(dialect) });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new StoreError("migration_failed", "the database schema could not be brought up to date", { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

/**
 * Applies the migrations up to and including `name`, no further: a database as an older release
 * left it, for tests of an upgrade over existing rows.
 *
 * @example
 * await migrateUpTo(db, "sqlite", "0005_user_fields");
 */
export async function migrateUpTo<DB>(db: Kysely<DB>, dialect: Dialect, name: string): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: new CodeMigrationProvider(dialect) });
  const { error, results }: MigrationResultSet = await migrator.migrateTo(name);
  if (error !== undefined) {
    throw new StoreError("migration_failed", "the database schema could not be brought to the version asked for", { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

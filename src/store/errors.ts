/** Errors raised by the store. Callers switch on `code`. */

/** Stable codes of {@link StoreError}. */
export type StoreErrorCode =
  | "unique_violation"
  | "unsupported_database_url"
  | "connection_failed"
  | "migration_failed";

/**
 * A store failure. For `unique_violation`, `constraint` names the invariant (e.g. `users.username`).
 *
 * @example
 * try { await store.users.insert(row); }
 * catch (err) { if (err instanceof StoreError && err.code === "unique_violation") console.log(err.constraint); }
 */
export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly code: StoreErrorCode;
  readonly constraint: string | undefined;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown; constraint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.constraint = options.constraint;
  }
}

// PostgreSQL reports the constraint name; SQLite reports "UNIQUE constraint failed: table.column".
const pgConstraints: Record<string, string> = {
  users_username_unique: "users.username",
  users_github_id_unique: "users.github_id",
  users_invited_github_login_unique: "users.invited_github_login",
  sessions_token_hash_unique: "sessions.token_hash",
  sessions_pkey: "sessions.id",
  oauth_transactions_pkey: "oauth_transactions.binding_hash",
  device_logins_pkey: "device_logins.handle_hash",
  github_tokens_pkey: "github_tokens.user_id",
  identities_pkey: "identities.provider_subject",
  identities_user_provider_unique: "identities.user_provider",
};

// SQLite names a composite key by its columns: the same names as PostgreSQL's constraints above.
const sqliteComposites: Record<string, string> = {
  "identities.provider, identities.subject": "identities.provider_subject",
  "identities.user_id, identities.provider": "identities.user_provider",
};

/** Turns a driver's unique-constraint error into a {@link StoreError}; other errors pass through. */
export function translateDriverError(err: unknown): unknown {
  if (typeof err !== "object" || err === null) return err;
  const code = "code" in err ? err.code : undefined;
  if (code === "23505") {
    const name = "constraint" in err && typeof err.constraint === "string" ? err.constraint : "";
    return new StoreError("unique_violation", "a unique constraint was violated", {
      cause: err,
      constraint: pgConstraints[name] ?? name,
    });
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const message = err instanceof Error ? err.message : "";
    const match = /constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(message);
    const columns = match?.[1] ?? "";
    return new StoreError("unique_violation", "a unique constraint was violated", {
      cause: err,
      constraint: sqliteComposites[columns] ?? columns,
    });
  }
  return err;
}

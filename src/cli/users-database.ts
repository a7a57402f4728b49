/**
 * Opening the users domain on the database for the admin commands, exactly as `serve` finds it:
 * the same `GATEHOUSE_*` variables (`--database` overrides `GATEHOUSE_DATABASE_URL`), migrated on
 * open, no GitHub client (the admin commands never call GitHub).
 */
import { existsSync } from "node:fs";
import { ConfigError, loadConfig, loadOrCreateLocalSecret } from "../config.js";
import { openStore, parseDatabaseUrl, StoreError } from "../store/index.js";
import { Users, UsersError } from "../users/index.js";
import { causeCode, CliError } from "./cli-error.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link withUsers}. */
export interface WithUsersOptions {
  /** Whether a missing SQLite file may be created (only `users create`: the first admin before the first `serve`). Default false. */
  create?: boolean;
}

/**
 * Runs `fn` with the domain on the configured database and closes the database afterwards.
 * SQLite in WAL mode shares the file with a running server.
 *
 * @example
 * const page = await withUsers(values.database, (users) => users.list({ limit: 20 }));
 */
export async function withUsers<T>(database: string | undefined, fn: (users: Users) => Promise<T>, env: Env = process.env, options: WithUsersOptions = {}): Promise<T> {
  if (database !== undefined) {
    try {
      parseDatabaseUrl(database);
    } catch (err) {
      throw new CliError("usage", "--database must be sqlite:PATH or postgres://USER@HOST/DB", { cause: err });
    }
  }
  const config = loadConfig(database === undefined ? env : { ...env, GATEHOUSE_DATABASE_URL: database });
  const target = parseDatabaseUrl(config.databaseUrl);
  // Creating the database is allowed for `users create` (an admin may create the first admin before
  // the first `serve`), saying so; elsewhere a mistyped path would answer "No users." from a new,
  // empty file (and leave it and its folders behind): refuse instead.
  if (target.dialect === "sqlite" && target.path !== ":memory:" && !existsSync(target.path)) {
    if (options.create !== true) {
      throw new CliError("database_unavailable", `no database at ${target.path}; check --database or GATEHOUSE_DATABASE_URL ('gatehouse users create' or 'gatehouse serve' creates one)`);
    }
    process.stderr.write(`gatehouse: no database at ${target.path} yet; creating a new one\n`);
  }
  const store = await openStore(config.databaseUrl);
  try {
    // The same key as the server's (GATEHOUSE_SECRET, else the one `serve` generated in the data folder).
    const secret = config.secret ?? loadOrCreateLocalSecret(config.dataDir).secret;
    return await fn(new Users({ store, secret, publicUrl: config.publicUrl }));
  } finally {
    await store.close();
  }
}

/**
 * The domain's, the store's and the configuration's errors as one-line CLI failures: invalid input
 * is a usage error (exit 2), a refusal exit 1. Messages are the domain's own (safe to show).
 *
 * @example
 * return runCommand("users", body, translateDomainError);
 */
export function translateDomainError(err: unknown): CliError | undefined {
  if (err instanceof UsersError) return new CliError(err.code === "invalid_input" ? "usage" : "rejected", err.message, { cause: err });
  if (err instanceof ConfigError) return new CliError("database_unavailable", err.message, { cause: err });
  if (err instanceof StoreError) {
    const code = causeCode(err);
    return new CliError("database_unavailable", code === undefined ? err.message : `${err.message} (${code})`, { cause: err });
  }
  return undefined;
}

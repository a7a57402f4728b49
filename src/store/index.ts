/** Persistence: Kysely schema, migrations, repositories. The only layer that writes SQL. */
export { DEFAULT_DATABASE_URL, openStore, parseDatabaseUrl, Store } from "./store.js";
export type { OpenStoreOptions, ParsedDatabaseUrl } from "./store.js";
export { StoreError } from "./errors.js";
export { migrateUpTo } from "./migrations.js";
export { isDatabaseUnavailable } from "./availability.js";
export type { SharedLimiter, SharedRateDecision } from "./shared-limiter.js";
export type { StoreErrorCode } from "./errors.js";
export type { Dialect, MigrationOutcome } from "./migrations.js";
export type { UserRow, NewUserRow, UserRowPatch, ListUsersQuery } from "./users-repository.js";
export type { SessionRow, SessionLiveness } from "./sessions-repository.js";
export type { OAuthTransactionRow } from "./oauth-transactions-repository.js";
export type { DeviceLoginRow } from "./device-logins-repository.js";
export type { GitHubTokensRow, GitHubTokenValues } from "./github-tokens-repository.js";
export type { IdentityRow, NewIdentityRow } from "./identities-repository.js";

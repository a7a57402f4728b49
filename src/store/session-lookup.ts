/**
 * The session check's query, prepared once and run straight on the driver: it is the one query
 * every signed-in request makes, so it skips Kysely's query building and, on SQLite, the statement
 * preparation Kysely's driver repeats on every call. PostgreSQL gets a named prepared statement
 * (parsed and planned once per connection). Only the root store uses it; inside a transaction the
 * repository keeps the Kysely query on the transaction's connection.
 */
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { SessionLiveness, SessionRow } from "./sessions-repository.js";
import type { UserRow } from "./users-repository.js";

/** A sessions row (columns prefixed `s_`) joined with every column of its user, as the driver returns it. */
export type SessionLookupRow = { [K in keyof SessionRow as `s_${K}`]: SessionRow[K] } & UserRow;

/**
 * Finds the live session of a token hash with its enabled user, or `undefined`; `null` when it
 * cannot run now and the caller should use its ordinary query.
 */
export type SessionLookup = (tokenHash: string, at: SessionLiveness) => Promise<SessionLookupRow | undefined> | null;

// The user's columns named, not `u.*`: a PostgreSQL statement prepared on a pooled connection
// fails ("cached plan must not change result type") once another instance's migration adds a
// column, whereas a named list keeps its shape. The check below makes a new column a compile error
// here until it is listed.
const USER_COLUMNS = [
  "id", "username", "name", "email", "avatar_url", "theme", "role", "disabled", "password_hash", "github_id", "github_login",
  "invited_github_login", "created_at", "updated_at", "last_sign_in_at", "name_edited", "email_edited", "avatar_edited", "fields",
] as const satisfies readonly (keyof UserRow)[];
const allUserColumnsListed: Exclude<keyof UserRow, (typeof USER_COLUMNS)[number]> extends never ? true : never = true;
void allUserColumnsListed;

const COLUMNS = "s.id as s_id, s.token_hash as s_token_hash, s.user_id as s_user_id, s.method as s_method, " +
  "s.user_agent as s_user_agent, s.ip as s_ip, s.created_at as s_created_at, s.last_seen_at as s_last_seen_at, " +
  `s.expires_at as s_expires_at, ${USER_COLUMNS.map((c) => `u.${c}`).join(", ")}`;

const sqlFor = (p: (n: number) => string) =>
  `select ${COLUMNS} from sessions as s inner join users as u on u.id = s.user_id ` +
  `where s.token_hash = ${p(1)} and s.expires_at > ${p(2)} and s.last_seen_at > ${p(3)} and u.disabled = 0`;

/**
 * On SQLite: one statement, prepared on first use (after migrations made the tables) and kept.
 * SQLite has one connection, which Kysely's transactions hold across awaits: while one is open the
 * check waits its turn through Kysely instead of reading the transaction's uncommitted rows.
 */
export function sqliteSessionLookup(file: BetterSqlite3.Database): SessionLookup {
  let statement: BetterSqlite3.Statement<[string, number, number], SessionLookupRow> | undefined;
  return (tokenHash, at) => {
    if (file.inTransaction) return null;
    try {
      statement ??= file.prepare<[string, number, number], SessionLookupRow>(sqlFor(() => "?"));
      return Promise.resolve(statement.get(tokenHash, at.now, at.idleCutoff));
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** On PostgreSQL: a named statement, which pg prepares once on each pooled connection. */
export function postgresSessionLookup(pool: pg.Pool): SessionLookup {
  const text = sqlFor((n) => `$${n}`);
  return async (tokenHash, at) => {
    const r = await pool.query<SessionLookupRow>({ name: "gatehouse_session_find_live", text, values: [tokenHash, at.now, at.idleCutoff] });
    return r.rows[0];
  };
}

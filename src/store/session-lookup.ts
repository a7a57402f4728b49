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
import type { IdentityRow } from "./identities-repository.js";

/** What the session check finds: the live session, its enabled user and the user's identities (by provider). */
export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
  identities: IdentityRow[];
}

/**
 * Finds the live session of a token hash with its enabled user, or `undefined`; `null` when it
 * cannot run now and the caller should use its ordinary query.
 */
export type SessionLookup = (tokenHash: string, at: SessionLiveness) => Promise<SessionWithUser | undefined> | null;

// The columns named, not `u.*`: a PostgreSQL statement prepared on a pooled connection fails
// ("cached plan must not change result type") once another instance's migration adds a column,
// whereas a named list keeps its shape. The driver returns each row as an array in this order
// (building objects from it here costs a third of what the driver's keyed rows and a rest copy
// did); `rowFrom` is typed by position, so a new column is a compile error until it is listed.
const SESSION_COLUMNS = [
  "id", "token_hash", "user_id", "method", "user_agent", "ip", "created_at", "last_seen_at", "expires_at",
] as const satisfies readonly (keyof SessionRow)[];
const USER_COLUMNS = [
  "id", "username", "name", "email", "avatar_url", "theme", "role", "disabled", "password_hash", "github_id", "github_login",
  "invited_github_login", "created_at", "updated_at", "last_sign_in_at", "name_edited", "email_edited", "avatar_edited", "fields",
] as const satisfies readonly (keyof UserRow)[];

// The user's identities come in the same row, as JSON text of arrays in this order: `GET
// /api/users/me` shows them, and a second statement would cost it a second read transaction
// (SQLite) or round trip (PostgreSQL). A user has a handful at most; most have none ("[]").
const IDENTITY_COLUMNS = ["provider", "subject", "username", "email", "created_at", "last_sign_in_at"] as const satisfies readonly (keyof IdentityRow)[];

type ValuesOf<Row, Columns extends readonly (keyof Row)[]> = { -readonly [I in keyof Columns]: Row[Columns[I]] };
/** One row as the driver returns it in array mode: the session's columns, the user's, then the identities' JSON. */
type LookupArrayRow = [...ValuesOf<SessionRow, typeof SESSION_COLUMNS>, ...ValuesOf<UserRow, typeof USER_COLUMNS>, string];
type IdentityArray = ValuesOf<IdentityRow, typeof IDENTITY_COLUMNS>;

function rowFrom(r: LookupArrayRow): SessionWithUser {
  return {
    session: { id: r[0], token_hash: r[1], user_id: r[2], method: r[3], user_agent: r[4], ip: r[5], created_at: r[6], last_seen_at: r[7], expires_at: r[8] },
    user: {
      id: r[9], username: r[10], name: r[11], email: r[12], avatar_url: r[13], theme: r[14], role: r[15], disabled: r[16],
      password_hash: r[17], github_id: r[18], github_login: r[19], invited_github_login: r[20], created_at: r[21],
      updated_at: r[22], last_sign_in_at: r[23], name_edited: r[24], email_edited: r[25], avatar_edited: r[26], fields: r[27],
    },
    identities: (JSON.parse(r[28]) as IdentityArray[]).map((i) => ({
      provider: i[0], subject: i[1], user_id: r[9], username: i[2], email: i[3], created_at: i[4], last_sign_in_at: i[5],
    })),
  };
}
// Every column of the three tables listed (a column added to a table and not here fails to compile).
const allListed: [
  Exclude<keyof SessionRow, (typeof SESSION_COLUMNS)[number]>,
  Exclude<keyof UserRow, (typeof USER_COLUMNS)[number]>,
  Exclude<keyof IdentityRow, (typeof IDENTITY_COLUMNS)[number] | "user_id">,
] extends [never, never, never] ? true : never = true;
void allListed;

const COLUMNS = [...SESSION_COLUMNS.map((c) => `s.${c}`), ...USER_COLUMNS.map((c) => `u.${c}`)].join(", ");

const IDENTITIES = {
  sqlite: `(select json_group_array(json_array(${IDENTITY_COLUMNS.map((c) => `i.${c}`).join(", ")}) order by i.provider) ` +
    "from identities as i where i.user_id = u.id)",
  postgres: `(select coalesce(json_agg(json_build_array(${IDENTITY_COLUMNS.map((c) => `i.${c}`).join(", ")}) order by i.provider), '[]')::text ` +
    "from identities as i where i.user_id = u.id)",
};

const sqlFor = (dialect: keyof typeof IDENTITIES, p: (n: number) => string) =>
  `select ${COLUMNS}, ${IDENTITIES[dialect]} from sessions as s inner join users as u on u.id = s.user_id ` +
  `where s.token_hash = ${p(1)} and s.expires_at > ${p(2)} and s.last_seen_at > ${p(3)} and u.disabled = 0`;

/**
 * On SQLite: one statement, prepared on first use (after migrations made the tables) and kept.
 * SQLite has one connection, which Kysely's transactions hold across awaits: while one is open the
 * check waits its turn through Kysely instead of reading the transaction's uncommitted rows.
 */
export function sqliteSessionLookup(file: BetterSqlite3.Database): SessionLookup {
  let statement: BetterSqlite3.Statement<[string, number, number], LookupArrayRow> | undefined;
  return (tokenHash, at) => {
    if (file.inTransaction) return null;
    try {
      statement ??= file.prepare<[string, number, number], LookupArrayRow>(sqlFor("sqlite", () => "?")).raw(true);
      const row = statement.get(tokenHash, at.now, at.idleCutoff);
      return Promise.resolve(row === undefined ? undefined : rowFrom(row));
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** On PostgreSQL: a named statement, which pg prepares once on each pooled connection. */
export function postgresSessionLookup(pool: pg.Pool): SessionLookup {
  const text = sqlFor("postgres", (n) => `$${n}`);
  return async (tokenHash, at) => {
    const r = await pool.query<LookupArrayRow>({ name: "gatehouse_session_find_live", text, values: [tokenHash, at.now, at.idleCutoff], rowMode: "array" });
    const row = r.rows[0];
    return row === undefined ? undefined : rowFrom(row);
  };
}

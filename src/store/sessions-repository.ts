/** SQL for the `sessions` table. */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, SessionsTable } from "./schema.js";
import { translateDriverError } from "./errors.js";
import type { SessionLookup, SessionWithUser } from "./session-lookup.js";
import { fixedSql, runFixed } from "./fixed-sql.js";
import type { Dialect } from "./migrations.js";

// Every sign-in opens a session (see fixed-sql.ts); every column is listed and required.
const COLUMNS = [
  "id", "token_hash", "user_id", "method", "user_agent", "ip", "created_at", "last_seen_at", "expires_at",
] as const satisfies readonly (keyof SessionsTable)[];
const INSERT = fixedSql(`insert into sessions (${COLUMNS.join(", ")}) values (${COLUMNS.map(() => "?").join(", ")})`);

/** A `sessions` row as stored. */
export type SessionRow = Selectable<SessionsTable>;

/** Instants that decide whether a session is alive. */
export interface SessionLiveness {
  now: number;
  /** Sessions last seen before this instant are idle-expired. */
  idleCutoff: number;
}

/** Reads and writes sessions. Obtain it from `Store.sessions`. */
export class SessionsRepository {
  /** `lookup`: the prepared session check of the root store (see session-lookup.ts); none in a transaction. */
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect, private readonly lookup?: SessionLookup) {}

  async insert(values: Insertable<SessionsTable>): Promise<void> {
    try {
      await runFixed(this.db, this.dialect, INSERT, COLUMNS.map((c) => values[c]));
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /** Inserts many sessions in one statement (the scale benchmark). */
  async insertMany(values: Insertable<SessionsTable>[]): Promise<void> {
    if (values.length === 0) return;
    try {
      await this.db.insertInto("sessions").values(values).execute();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /**
   * The live session for a token hash, its user and the user's identities, in one indexed lookup
   * (the user is joined and the identities read in the same statement, not fetched after; inside a
   * transaction, where the prepared statement cannot run, the identities are a second query).
   * Disabled users' sessions do not count.
   */
  async findLive(tokenHash: string, at: SessionLiveness): Promise<SessionWithUser | undefined> {
    const prepared = this.lookup?.(tokenHash, at) ?? null;
    if (prepared !== null) return prepared;
    const row = await this.db
      .selectFrom("sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "s.id as s_id", "s.token_hash as s_token_hash", "s.user_id as s_user_id", "s.method as s_method",
        "s.user_agent as s_user_agent", "s.ip as s_ip", "s.created_at as s_created_at",
        "s.last_seen_at as s_last_seen_at", "s.expires_at as s_expires_at",
      ])
      .selectAll("u")
      .where("s.token_hash", "=", tokenHash)
      .where("s.expires_at", ">", at.now)
      .where("s.last_seen_at", ">", at.idleCutoff)
      .where("u.disabled", "=", 0)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const { s_id, s_token_hash, s_user_id, s_method, s_user_agent, s_ip, s_created_at, s_last_seen_at, s_expires_at, ...user } = row;
    return {
      session: {
        id: s_id, token_hash: s_token_hash, user_id: s_user_id, method: s_method, user_agent: s_user_agent,
        ip: s_ip, created_at: s_created_at, last_seen_at: s_last_seen_at, expires_at: s_expires_at,
      },
      user,
      identities: await this.db.selectFrom("identities").selectAll().where("user_id", "=", user.id).orderBy("provider").execute(),
    };
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
  }

  async listLiveForUser(userId: number, at: SessionLiveness): Promise<SessionRow[]> {
    return this.db
      .selectFrom("sessions")
      .selectAll()
      .where("user_id", "=", userId)
      .where("expires_at", ">", at.now)
      .where("last_seen_at", ">", at.idleCutoff)
      .orderBy("last_seen_at", "desc")
      .execute();
  }

  /** Deletes one session of one user; false when there was none. */
  async deleteForUser(userId: number, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom("sessions").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  async deleteByTokenHash(tokenHash: string): Promise<boolean> {
    const r = await this.db.deleteFrom("sessions").where("token_hash", "=", tokenHash).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Revokes every session of a user (disable, delete, password change); returns how many. */
  async deleteAllForUser(userId: number, exceptId?: string): Promise<number> {
    let q = this.db.deleteFrom("sessions").where("user_id", "=", userId);
    if (exceptId !== undefined) q = q.where("id", "!=", exceptId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async purgeExpired(at: SessionLiveness): Promise<number> {
    const r = await this.db
      .deleteFrom("sessions")
      .where((eb) => eb.or([eb("expires_at", "<=", at.now), eb("last_seen_at", "<=", at.idleCutoff)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

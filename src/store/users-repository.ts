/** SQL for the `users` table. */
import { sql } from "kysely";
import type { Insertable, Kysely, Selectable, SqlBool, Updateable } from "kysely";
import type { Database, UsersTable } from "./schema.js";
import { translateDriverError } from "./errors.js";
import type { Dialect } from "./migrations.js";
import { fixedSql, runFixed } from "./fixed-sql.js";

// Every GitHub sign-in's first query (see fixed-sql.ts).
const FIND_BY_GITHUB_ID = fixedSql("select * from users where github_id = ?");

/** A `users` row as stored. */
export type UserRow = Selectable<UsersTable>;
/** Values for a new `users` row. */
export type NewUserRow = Insertable<UsersTable>;
/** A partial update of a `users` row. */
export type UserRowPatch = Omit<Updateable<UsersTable>, "id">;

/** Options for {@link UsersRepository.list}. */
export interface ListUsersQuery {
  /** Case-insensitive substring of username, name, email or GitHub login. */
  search?: string;
  limit: number;
  offset: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Reads and writes users. Obtain it from `Store.users`. */
export class UsersRepository {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  async findById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /**
   * The row, locked until the transaction ends on PostgreSQL (SQLite transactions already run one
   * at a time): two concurrent changes of one user's sign-in methods then see each other's result.
   */
  async findByIdForUpdate(id: number): Promise<UserRow | undefined> {
    const query = this.db.selectFrom("users").selectAll().where("id", "=", id);
    return (this.dialect === "postgres" ? query.forUpdate() : query).executeTakeFirst();
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
  }

  async findByGitHubId(githubId: number): Promise<UserRow | undefined> {
    const rows = await runFixed<UserRow>(this.db, this.dialect, FIND_BY_GITHUB_ID, [githubId]);
    return rows[0];
  }

  /** The account bound to a GitHub id whose login was last seen as this one (any case); logins are not unique over time. */
  async findBoundToGitHubLogin(githubLoginLower: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where(sql<string>`lower(github_login)`, "=", githubLoginLower)
      .where("github_id", "is not", null)
      .executeTakeFirst();
  }

  /** A pending invite: an account an admin created for this (lower-cased) login, not yet bound to an id. */
  async findInvite(githubLoginLower: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where("invited_github_login", "=", githubLoginLower)
      .where("github_id", "is", null)
      .executeTakeFirst();
  }

  async insert(values: NewUserRow): Promise<UserRow> {
    try {
      return await this.db.insertInto("users").values(values).returningAll().executeTakeFirstOrThrow();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /**
   * Inserts many users in one statement (imports, the scale benchmark). Give every row the same
   * columns: in SQLite's multi-row insert a column one row omits is NULL, not its default.
   */
  async insertMany(values: NewUserRow[]): Promise<void> {
    if (values.length === 0) return;
    try {
      await this.db.insertInto("users").values(values).execute();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  async update(id: number, patch: UserRowPatch): Promise<UserRow | undefined> {
    try {
      return await this.db.updateTable("users").set(patch).where("id", "=", id).returningAll().executeTakeFirst();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  async delete(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom("users").where("id", "=", id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /**
   * Admins who are not disabled: guards against removing the last one. With `lock` (inside a
   * transaction) PostgreSQL locks those rows until commit, so two admins removing each other at
   * once cannot both see "2" under READ COMMITTED; the second waits and counts again. SQLite
   * transactions already run one at a time.
   */
  async countActiveAdmins(options: { lock?: boolean } = {}): Promise<number> {
    if (options.lock && this.dialect === "postgres") {
      const rows = await this.db.selectFrom("users").select("id").where("role", "=", "admin").where("disabled", "=", 0).forUpdate().execute();
      return rows.length;
    }
    const r = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("role", "=", "admin")
      .where("disabled", "=", 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** One page of users ordered by username, and the total matching. */
  async list(query: ListUsersQuery): Promise<{ rows: UserRow[]; total: number }> {
    let base = this.db.selectFrom("users");
    if (query.search !== undefined && query.search !== "") {
      const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      // ESCAPE is explicit: SQLite has no default escape character for LIKE.
      const like = (col: string) => sql<SqlBool>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`;
      base = base.where((eb) =>
        eb.or([like("username"), like("name"), like("email"), like("github_login")]),
      );
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy("username").limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }
}

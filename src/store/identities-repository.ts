/** SQL for the `identities` table: generic providers' identities bound to users. */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, IdentitiesTable } from "./schema.js";
import { translateDriverError } from "./errors.js";

/** An `identities` row as stored. */
export type IdentityRow = Selectable<IdentitiesTable>;
/** Values for a new `identities` row. */
export type NewIdentityRow = Insertable<IdentitiesTable>;

/** Reads and writes identities. Obtain it from `Store.identities`. */
export class IdentitiesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The identity `(provider, subject)`: the primary key. */
  async find(provider: string, subject: string): Promise<IdentityRow | undefined> {
    return this.db.selectFrom("identities").selectAll().where("provider", "=", provider).where("subject", "=", subject).executeTakeFirst();
  }

  /** A user's identities, by provider name. */
  async listForUser(userId: number): Promise<IdentityRow[]> {
    return this.db.selectFrom("identities").selectAll().where("user_id", "=", userId).orderBy("provider").execute();
  }

  /** The identities of many users in one query (a page of the user list), by user then provider. */
  async listForUsers(userIds: readonly number[]): Promise<IdentityRow[]> {
    if (userIds.length === 0) return [];
    return this.db.selectFrom("identities").selectAll().where("user_id", "in", [...userIds]).orderBy("user_id").orderBy("provider").execute();
  }

  /** Binds an identity; a taken `(provider, subject)` or a second identity of one provider on a user is a `unique_violation`. */
  async insert(values: NewIdentityRow): Promise<IdentityRow> {
    try {
      return await this.db.insertInto("identities").values(values).returningAll().executeTakeFirstOrThrow();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /** Records a sign-in with the display fields the provider gave this time. */
  async touch(provider: string, subject: string, values: { username: string | null; email: string | null; last_sign_in_at: number }): Promise<void> {
    await this.db.updateTable("identities").set(values).where("provider", "=", provider).where("subject", "=", subject).execute();
  }

  /** Unbinds a user's identity of one provider; whether there was one. */
  async deleteForUser(userId: number, provider: string): Promise<boolean> {
    const r = await this.db.deleteFrom("identities").where("user_id", "=", userId).where("provider", "=", provider).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}

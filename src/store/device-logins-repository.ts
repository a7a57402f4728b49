/** SQL for the `device_logins` table. */
import { sql } from "kysely";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, DeviceLoginsTable } from "./schema.js";
import { translateDriverError } from "./errors.js";

/** A `device_logins` row as stored. */
export type DeviceLoginRow = Selectable<DeviceLoginsTable>;

/** Pending device logins. Obtain it from `Store.deviceLogins`. */
export class DeviceLoginsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(values: Insertable<DeviceLoginsTable>): Promise<void> {
    try {
      await this.db.insertInto("device_logins").values(values).execute();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  async find(handleHash: string): Promise<DeviceLoginRow | undefined> {
    return this.db.selectFrom("device_logins").selectAll().where("handle_hash", "=", handleHash).executeTakeFirst();
  }

  /**
   * Claims the right to poll GitHub now: succeeds for one caller per interval, so concurrent polls
   * of one handle make one request to GitHub (which would answer `slow_down` otherwise).
   */
  async claimPoll(handleHash: string, now: number): Promise<DeviceLoginRow | undefined> {
    return this.db
      .updateTable("device_logins")
      // CAST: PostgreSQL would type the parameter after interval_s (int4) and overflow on epoch ms.
      .set({ next_poll_at: sql<number>`cast(${now} as bigint) + interval_s * 1000` })
      .where("handle_hash", "=", handleHash)
      .where("next_poll_at", "<=", now)
      .returningAll()
      .executeTakeFirst();
  }

  /** After `slow_down`: GitHub's new interval applies to every later poll. */
  async setInterval(handleHash: string, intervalS: number, nextPollAt: number): Promise<void> {
    await this.db
      .updateTable("device_logins")
      .set({ interval_s: intervalS, next_poll_at: nextPollAt })
      .where("handle_hash", "=", handleHash)
      .execute();
  }

  /** Removes the row; returns it to the one caller that removed it. */
  async consume(handleHash: string): Promise<DeviceLoginRow | undefined> {
    return this.db.deleteFrom("device_logins").where("handle_hash", "=", handleHash).returningAll().executeTakeFirst();
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom("device_logins").where("expires_at", "<=", now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

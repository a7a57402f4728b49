/** SQL for the `oauth_transactions` table. */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, OAuthTransactionsTable } from "./schema.js";
import { translateDriverError } from "./errors.js";

/** An `oauth_transactions` row as stored. */
export type OAuthTransactionRow = Selectable<OAuthTransactionsTable>;

/** Pending GitHub authorizations. Obtain it from `Store.oauthTransactions`. */
export class OAuthTransactionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(values: Insertable<OAuthTransactionsTable>): Promise<void> {
    try {
      await this.db.insertInto("oauth_transactions").values(values).execute();
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /**
   * Takes the transaction out in one statement (DELETE ... RETURNING), so a replayed or concurrent
   * callback finds nothing: consumed once, atomically. Expired rows are returned too, so the caller
   * can say "expired" rather than "unknown".
   */
  async consume(bindingHash: string): Promise<OAuthTransactionRow | undefined> {
    return this.db.deleteFrom("oauth_transactions").where("binding_hash", "=", bindingHash).returningAll().executeTakeFirst();
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom("oauth_transactions").where("expires_at", "<=", now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

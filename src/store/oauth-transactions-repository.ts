/** SQL for the `oauth_transactions` table. */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, OAuthTransactionsTable } from "./schema.js";
import { translateDriverError } from "./errors.js";
import { fixedSql, runFixed } from "./fixed-sql.js";
import type { Dialect } from "./migrations.js";

// Every sign-in's start and callback (see fixed-sql.ts). The column lists are typed below.
const INSERT_COLUMNS = [
  "binding_hash", "provider", "state", "code_verifier", "nonce", "redirect_uri", "return_to", "link_user_id", "created_at", "expires_at",
] as const satisfies readonly (keyof OAuthTransactionsTable)[];
const INSERT = fixedSql(`insert into oauth_transactions (${INSERT_COLUMNS.join(", ")}) values (${INSERT_COLUMNS.map(() => "?").join(", ")})`);
const CONSUME = fixedSql("delete from oauth_transactions where binding_hash = ? returning *");

/** An `oauth_transactions` row as stored. */
export type OAuthTransactionRow = Selectable<OAuthTransactionsTable>;

/** Pending GitHub authorizations. Obtain it from `Store.oauthTransactions`. */
export class OAuthTransactionsRepository {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  async insert(values: Insertable<OAuthTransactionsTable>): Promise<void> {
    try {
      // Optional columns get their schema defaults, as the query builder's insert would.
      const row = { ...values, provider: values.provider ?? "github", nonce: values.nonce ?? null, link_user_id: values.link_user_id ?? null };
      await runFixed(this.db, this.dialect, INSERT, INSERT_COLUMNS.map((c) => row[c]));
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
    const rows = await runFixed<OAuthTransactionRow>(this.db, this.dialect, CONSUME, [bindingHash]);
    return rows[0];
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom("oauth_transactions").where("expires_at", "<=", now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

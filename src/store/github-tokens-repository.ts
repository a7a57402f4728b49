/** SQL for the `github_tokens` table. */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, GitHubTokensTable } from "./schema.js";
import { translateDriverError } from "./errors.js";
import { fixedSql, runFixed } from "./fixed-sql.js";
import type { Dialect } from "./migrations.js";

/** A `github_tokens` row as stored (token columns are sealed). */
export type GitHubTokensRow = Selectable<GitHubTokensTable>;

/** The token fields written by a sign-in or a refresh. */
export type GitHubTokenValues = Pick<
  Insertable<GitHubTokensTable>,
  "access_token" | "refresh_token" | "scopes" | "expires_at" | "refresh_expires_at"
>;

// Every GitHub sign-in stores its tokens (see fixed-sql.ts): the costliest statement to build.
const SAVED = ["access_token", "refresh_token", "scopes", "expires_at", "refresh_expires_at"] as const satisfies readonly (keyof GitHubTokenValues)[];
const SAVE = fixedSql(
  `insert into github_tokens (user_id, ${SAVED.join(", ")}, needs_reauth, version, refreshing_until, updated_at) ` +
    `values (?, ${SAVED.map(() => "?").join(", ")}, 0, 0, null, ?) ` +
    `on conflict (user_id) do update set ${SAVED.map((c) => `${c} = excluded.${c}`).join(", ")}, ` +
    "needs_reauth = 0, refreshing_until = null, updated_at = excluded.updated_at, version = github_tokens.version + 1",
);
// Every key of GitHubTokenValues is written (a new one is a compile error until listed).
const allSaved: Exclude<keyof GitHubTokenValues, (typeof SAVED)[number]> extends never ? true : never = true;
void allSaved;

/** Stored GitHub tokens. Obtain it from `Store.githubTokens`. */
export class GitHubTokensRepository {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  async find(userId: number): Promise<GitHubTokensRow | undefined> {
    return this.db.selectFrom("github_tokens").selectAll().where("user_id", "=", userId).executeTakeFirst();
  }

  /** The row with its user's `disabled` flag, in one query (the vault refuses disabled users). */
  async findWithUser(userId: number): Promise<{ tokens: GitHubTokensRow; userDisabled: boolean } | undefined> {
    const row = await this.db
      .selectFrom("github_tokens as t")
      .innerJoin("users as u", "u.id", "t.user_id")
      .selectAll("t")
      .select("u.disabled as user_disabled")
      .where("t.user_id", "=", userId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const { user_disabled, ...tokens } = row;
    return { tokens, userDisabled: user_disabled !== 0 };
  }

  /** Stores the tokens of a fresh sign-in, replacing any before and clearing `needs_reauth`. */
  async save(userId: number, values: GitHubTokenValues, now: number): Promise<void> {
    try {
      await runFixed(this.db, this.dialect, SAVE, [userId, ...SAVED.map((c) => values[c] ?? null), now]);
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /**
   * Takes the refresh lease if nobody holds it and the row is still at `version`: the DB-level guard
   * that keeps two instances from spending the same (single-use, rotating) refresh token.
   */
  async acquireRefreshLease(userId: number, version: number, now: number, until: number): Promise<boolean> {
    const r = await this.db
      .updateTable("github_tokens")
      .set({ refreshing_until: until })
      .where("user_id", "=", userId)
      .where("version", "=", version)
      .where((eb) => eb.or([eb("refreshing_until", "is", null), eb("refreshing_until", "<", now)]))
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Stores the rotated pair if the row is still at `version` (compare-and-swap); releases the lease. */
  async replaceAfterRefresh(userId: number, version: number, values: GitHubTokenValues, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable("github_tokens")
      .set({ ...values, refreshing_until: null, updated_at: now, version: version + 1 })
      .where("user_id", "=", userId)
      .where("version", "=", version)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** `bad_refresh_token`: the link needs a new sign-in. */
  async markNeedsReauth(userId: number, version: number, now: number): Promise<void> {
    await this.db
      .updateTable("github_tokens")
      .set({ needs_reauth: 1, refreshing_until: null, updated_at: now, version: version + 1 })
      .where("user_id", "=", userId)
      .where("version", "=", version)
      .execute();
  }

  /** Forgets a user's tokens (GitHub unlinked); whether there were any. */
  async delete(userId: number): Promise<boolean> {
    const r = await this.db.deleteFrom("github_tokens").where("user_id", "=", userId).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  async releaseLease(userId: number, version: number): Promise<void> {
    await this.db
      .updateTable("github_tokens")
      .set({ refreshing_until: null })
      .where("user_id", "=", userId)
      .where("version", "=", version)
      .execute();
  }
}

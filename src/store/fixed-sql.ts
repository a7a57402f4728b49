/**
 * Statements whose SQL never changes, written once per dialect instead of built by Kysely's query
 * builder on every call. Building costs 2–11 µs a statement (the tokens upsert the most), and a
 * GitHub sign-in runs several; these run through Kysely's `executeQuery` all the same, so they
 * use the connection of the store they are called on — a transaction's inside one — and, on
 * SQLite, the statement prepared once by sqlite-statements.ts.
 */
import { CompiledQuery } from "kysely";
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { Dialect } from "./migrations.js";

/** One statement's text for each dialect. */
export interface FixedSql {
  sqlite: string;
  postgres: string;
}

/**
 * Takes SQL with `?` placeholders (SQLite's) and numbers them `$1, $2, …` for PostgreSQL. The
 * text must hold no `?` other than placeholders (no string literals with one).
 *
 * @example
 * const find = fixedSql("select * from users where github_id = ?");
 * // find.postgres === "select * from users where github_id = $1"
 */
export function fixedSql(sqlite: string): FixedSql {
  let n = 0;
  return { sqlite, postgres: sqlite.replace(/\?/g, () => `$${++n}`) };
}

/**
 * Runs a fixed statement on `db` (the root database or a transaction) and returns its rows.
 *
 * @example
 * const rows = await runFixed<UserRow>(db, "sqlite", find, [githubId]);
 */
export async function runFixed<Row>(db: Kysely<Database>, dialect: Dialect, statement: FixedSql, parameters: readonly unknown[]): Promise<Row[]> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(statement[dialect], [...parameters]));
  return result.rows;
}

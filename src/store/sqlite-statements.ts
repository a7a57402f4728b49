/**
 * Kysely's SQLite driver prepares every statement again on each query; preparing (parsing and
 * planning the SQL) costs more than running these small indexed queries. This gives the driver a
 * database whose `prepare` returns the statement already prepared for the same SQL text, keeping
 * the most recently used few. Safe because Kysely runs one query at a time on the connection and
 * reads each statement's result in full before the next.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** Distinct SQL texts kept (the app has a few dozen; `in (...)` lists of other lengths make more). */
const MAX_STATEMENTS = 200;

/**
 * The database for Kysely's `SqliteDialect`, with prepared statements reused.
 *
 * @example
 * new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(file) }) });
 */
export function reusingStatements(file: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      file.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = file.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value ?? "");
      } else {
        statements.delete(sql); // re-insert: Map order = least recently used first
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Test helper: runs the same tests against SQLite and PostgreSQL. Each call of `fresh()` gives a
 * database of its own (SQLite: a temp file; PostgreSQL: CREATE DATABASE), so files run in parallel.
 * Without GATEHOUSE_TEST_POSTGRES_URL the PostgreSQL variant is skipped with a printed reason,
 * except under CI=true, where it fails.
 */
import { describe, test, after } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface TestDatabase {
  name: "sqlite" | "postgres";
  /** A new, empty database URL; dropped/removed when the test file ends. */
  fresh(): Promise<string>;
}

const ci = process.env.CI === "true" || process.env.CI === "1";
const pgUrl = process.env.GATEHOUSE_TEST_POSTGRES_URL;

export function sqliteDatabase(): TestDatabase & { cleanup(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async cleanup() { for (const d of dirs) rmSync(d, { recursive: true, force: true }); },
    name: "sqlite",
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), "gatehouse-test-"));
      dirs.push(dir);
      return `sqlite:${join(dir, "test.db")}`;
    },
  };
}

export function postgresDatabase(adminUrl: string): TestDatabase & { cleanup(): Promise<void> } {
  const created: string[] = [];
  return {
    async cleanup() {
      if (created.length === 0) return;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
    name: "postgres",
    async fresh() {
      const name = `gh_test_${randomBytes(8).toString("hex")}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

/**
 * Declares `suite` once per database, as `describe("<title> [sqlite]")` and `[postgres]`.
 *
 * @example
 * forEachDatabase("users store", (db) => { test("...", async () => { const store = await openStore(await db.fresh()); }); });
 */
export function forEachDatabase(title: string, suite: (db: TestDatabase) => void): void {
  // The cleanup hook is registered after the suite's own hooks, so it runs after they closed their pools.
  const run = (db: TestDatabase & { cleanup(): Promise<void> }) => () => {
    suite(db);
    after(() => db.cleanup());
  };
  describe(`${title} [sqlite]`, run(sqliteDatabase()));
  if (pgUrl) {
    describe(`${title} [postgres]`, run(postgresDatabase(pgUrl)));
  } else if (ci) {
    test(`${title} [postgres]`, () => {
      throw new Error("CI: GATEHOUSE_TEST_POSTGRES_URL is not set; the PostgreSQL tests must run in CI");
    });
  } else {
    describe(`${title} [postgres]`, () => {
      test("PostgreSQL variant", { skip: "GATEHOUSE_TEST_POSTGRES_URL is not set (no PostgreSQL here)" }, () => {});
    });
  }
}

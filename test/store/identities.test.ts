/**
 * Migration 0006 over a database an older release left (rows in users and a pending GitHub
 * transaction), and the identities table's invariants, on SQLite and PostgreSQL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { migrateUpTo, openStore, parseDatabaseUrl, StoreError } from "../../src/store/index.js";
import { forEachDatabase } from "./databases.js";

const now = 1_750_000_000_000;

/** A raw connection to a database URL, as a release before 0006 would hold it. */
function rawDb(url: string): Kysely<unknown> {
  const parsed = parseDatabaseUrl(url);
  return parsed.dialect === "sqlite"
    ? new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(parsed.path) }) })
    : new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: parsed.url, max: 1 }) }) });
}

forEachDatabase("identities store", (db) => {
  test("0006 migrates a database with users and a pending GitHub sign-in: the transaction reads as GitHub's, nothing lost", async () => {
    const url = await db.fresh();
    const dialect = parseDatabaseUrl(url).dialect;
    const old = rawDb(url);
    assert.deepEqual((await migrateUpTo(old, dialect, "0005_user_fields")).applied.at(-1), "0005_user_fields");
    await sql`insert into users (username, role, github_id, github_login, created_at, updated_at) values ('olduser', 'user', 77, 'olduser', ${now}, ${now})`.execute(old);
    await sql`insert into oauth_transactions (binding_hash, state, code_verifier, redirect_uri, return_to, created_at, expires_at)
      values ('bh', 'st', 'sealed', 'http://x/cb', '/', ${now}, ${now + 600_000})`.execute(old);
    await old.destroy();

    const store = await openStore(url);
    try {
      const user = await store.users.findByUsername("olduser");
      assert.equal(user?.github_id, 77);
      const tx = await store.oauthTransactions.consume("bh");
      assert.equal(tx?.provider, "github");
      assert.equal(tx?.nonce, null);
      assert.equal(tx?.link_user_id, null);
      assert.equal(tx?.state, "st");
      assert.deepEqual(await store.identities.listForUser(user?.id ?? -1), []);
    } finally {
      await store.close();
    }
  });

  test("an identity is (provider, subject), one per provider on an account, listed for many users in one call, gone with its user", async () => {
    const store = await openStore(await db.fresh());
    try {
      const a = await store.users.insert({ username: "a", role: "user", created_at: now, updated_at: now });
      const b = await store.users.insert({ username: "b", role: "user", created_at: now, updated_at: now });
      const row = (provider: string, subject: string, userId: number) => ({ provider, subject, user_id: userId, username: null, email: null, created_at: now, last_sign_in_at: null });
      await store.identities.insert(row("corp", "1", a.id));
      await store.identities.insert(row("other", "1", a.id));
      await assert.rejects(store.identities.insert(row("corp", "1", b.id)),
        (e) => e instanceof StoreError && e.code === "unique_violation" && e.constraint === "identities.provider_subject");
      await assert.rejects(store.identities.insert(row("corp", "3", a.id)),
        (e) => e instanceof StoreError && e.code === "unique_violation" && e.constraint === "identities.user_provider");
      await store.identities.insert(row("corp", "2", b.id));
      assert.equal((await store.identities.find("corp", "1"))?.user_id, a.id);
      const many = await store.identities.listForUsers([a.id, b.id]);
      assert.deepEqual(many.map((i) => [i.user_id, i.provider]), [[a.id, "corp"], [a.id, "other"], [b.id, "corp"]]);
      await store.identities.touch("corp", "1", { username: "handle", email: "a@example.com", last_sign_in_at: now + 1 });
      assert.equal((await store.identities.find("corp", "1"))?.username, "handle");
      assert.equal(await store.identities.deleteForUser(a.id, "other"), true);
      assert.equal(await store.identities.deleteForUser(a.id, "other"), false);
      await store.users.delete(b.id);
      assert.equal(await store.identities.find("corp", "2"), undefined, "cascades with the user");
    } finally {
      await store.close();
    }
  });
});

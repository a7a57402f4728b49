import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore, parseDatabaseUrl, StoreError } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import { forEachDatabase } from "./databases.js";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";

const now = 1_750_000_000_000;

function newUser(username: string, extra: Partial<Parameters<Store["users"]["insert"]>[0]> = {}) {
  return { username, role: "user", created_at: now, updated_at: now, ...extra };
}

test("parseDatabaseUrl accepts sqlite: and postgres:// and names the problem otherwise", () => {
  assert.deepEqual(parseDatabaseUrl("sqlite:./x.db"), { dialect: "sqlite", path: "./x.db" });
  assert.deepEqual(parseDatabaseUrl("postgres://u@h/db"), { dialect: "postgres", url: "postgres://u@h/db" });
  assert.throws(() => parseDatabaseUrl("mysql://x"), (e) => e instanceof StoreError && e.code === "unsupported_database_url");
  assert.throws(() => parseDatabaseUrl("sqlite:"), (e) => e instanceof StoreError && e.code === "unsupported_database_url");
});

forEachDatabase("store", (db) => {
  test("the prepared session lookup answers exactly as the query builder does; batched inserts", async () => {
    const store = await openStore(await db.fresh());
    try {
      // Every row names the same columns (a missing one would be NULL in SQLite's multi-row insert, not its default).
      // Distinct values in every column, so a column read from another's position shows.
      const row = (username: string, disabled: number, n: number) => newUser(username, { name: username.toUpperCase(), disabled,
        email: `${username}@example.com`, avatar_url: `https://avatars.example/${username}`, theme: "dark", password_hash: `scrypt$${username}`,
        github_id: 1000 + n, github_login: `gh-${username}`, invited_github_login: `inv-${username}`, updated_at: now + n,
        last_sign_in_at: now + 10 + n, name_edited: 1, email_edited: 0, avatar_edited: 1, fields: `{"n":${n}}` });
      await store.users.insertMany([row("u1", 0, 1), row("u2", 1, 2), row("u3", 0, 3)]);
      const ids = new Map((await store.users.list({ limit: 10, offset: 0 })).rows.map((u) => [u.username, u.id]));
      const session = (id: string, user: string) => ({ id, token_hash: `hash-${id}`, user_id: ids.get(user) ?? -1, method: "github",
        user_agent: `agent-${id}`, ip: "127.0.0.1", created_at: now - 5, last_seen_at: now, expires_at: now + 1000 });
      await store.sessions.insertMany([session("a", "u1"), session("b", "u2"), session("c", "u3")]);
      // u1 has two identities, inserted out of order (the lookup lists them by provider); u3 none.
      const identity = (provider: string, n: number) => ({ provider, subject: `sub-${provider}`, user_id: ids.get("u1") ?? -1,
        username: n === 1 ? null : `handle-${provider}`, email: `${provider}@example.com`, created_at: now - n, last_sign_in_at: n === 1 ? null : now + n });
      await store.identities.insert(identity("zulu", 1));
      await store.identities.insert(identity("corp", 2));
      for (const [hash, at] of [["hash-a", { now, idleCutoff: now - 1 }], ["hash-b", { now, idleCutoff: now - 1 }],
        ["hash-c", { now: now + 1000, idleCutoff: now - 1 }], ["hash-c", { now, idleCutoff: now }], ["nope", { now, idleCutoff: 0 }]] as const) {
        const prepared = await store.sessions.findLive(hash, at);
        // Inside a transaction the repository runs the query builder's version.
        const built = await store.transaction((tx) => tx.sessions.findLive(hash, at));
        assert.deepEqual(prepared, built, `${hash} at ${at.now}`);
      }
      const live = await store.sessions.findLive("hash-a", { now, idleCutoff: now - 1 });
      assert.equal(live?.user.username, "u1");
      assert.equal(live?.session.id, "a");
      assert.deepEqual(live?.identities, [identity("corp", 2), identity("zulu", 1)]);
      assert.deepEqual((await store.sessions.findLive("hash-c", { now, idleCutoff: now - 1 }))?.identities, []);
    } finally {
      await store.close();
    }
  });

  test("the prepared session lookup keeps working when another instance adds a column to users", async () => {
    const url = await db.fresh();
    // One pooled connection, so the lookup runs again on the connection it was prepared on.
    const store = await openStore(url, { poolSize: 1 });
    try {
      const user = await store.users.insert(newUser("ann"));
      await store.sessions.insert({ id: "s-ann", token_hash: "hash-ann", user_id: user.id, method: "password", user_agent: null, ip: null,
        created_at: now, last_seen_at: now, expires_at: now + 1000 });
      const at = { now, idleCutoff: now - 1 };
      const before = await store.sessions.findLive("hash-ann", at);
      assert.equal(before?.user.username, "ann");
      const ddl = "alter table users add column nickname text";
      const parsed = parseDatabaseUrl(url);
      if (parsed.dialect === "sqlite") {
        const other = new BetterSqlite3(parsed.path);
        other.exec(ddl);
        other.close();
      } else {
        const other = new pg.Client({ connectionString: parsed.url });
        await other.connect();
        await other.query(ddl);
        await other.end();
      }
      assert.deepEqual(await store.sessions.findLive("hash-ann", at), before);
    } finally {
      await store.close();
    }
  });

  test("migrations apply once and are idempotent on reopen", async () => {
    const url = await db.fresh();
    const store = await openStore(url);
    assert.deepEqual((await store.migrate()).applied, []);
    await store.close();
    const again = await openStore(url);
    await again.ping();
    await again.close();
  });

  test("one user per GitHub id and unique usernames are enforced by the database", async () => {
    const store = await openStore(await db.fresh());
    try {
      await store.users.insert(newUser("alice", { github_id: 9_007_199_254 }));
      await assert.rejects(store.users.insert(newUser("alice2", { github_id: 9_007_199_254 })),
        (e) => e instanceof StoreError && e.code === "unique_violation" && e.constraint === "users.github_id");
      await assert.rejects(store.users.insert(newUser("alice")),
        (e) => e instanceof StoreError && e.code === "unique_violation" && e.constraint === "users.username");
      // A 64-bit GitHub id comes back as a number on both databases (pg returns int8 as text by default).
      const found = await store.users.findByGitHubId(9_007_199_254);
      assert.equal(found?.github_id, 9_007_199_254);
      assert.equal(typeof found?.created_at, "number");
    } finally {
      await store.close();
    }
  });

  test("a transaction that fails leaves nothing behind", async () => {
    const store = await openStore(await db.fresh());
    try {
      await assert.rejects(store.transaction(async (tx) => {
        await tx.users.insert(newUser("bob"));
        await tx.users.insert(newUser("bob"));
      }));
      assert.equal(await store.users.findByUsername("bob"), undefined);
    } finally {
      await store.close();
    }
  });

  test("a session lookup joins its user in one query and ignores expired, idle and disabled", async () => {
    const store = await openStore(await db.fresh());
    try {
      const u = await store.users.insert(newUser("carol"));
      const base = { user_id: u.id, method: "password", user_agent: "ua", ip: null, created_at: now, last_seen_at: now };
      await store.sessions.insert({ ...base, id: "s1", token_hash: "h1", expires_at: now + 1000 });
      await store.sessions.insert({ ...base, id: "s2", token_hash: "h2", expires_at: now - 1 });
      await assert.rejects(store.sessions.insert({ ...base, id: "s3", token_hash: "h1", expires_at: now + 1000 }),
        (e) => e instanceof StoreError && e.constraint === "sessions.token_hash");
      const live = await store.sessions.findLive("h1", { now, idleCutoff: now - 10 });
      assert.equal(live?.session.id, "s1");
      assert.equal(live?.user.username, "carol");
      assert.equal(await store.sessions.findLive("h2", { now, idleCutoff: now - 10 }), undefined);
      assert.equal(await store.sessions.findLive("h1", { now, idleCutoff: now + 1 }), undefined, "idle");
      await store.users.update(u.id, { disabled: 1 });
      assert.equal(await store.sessions.findLive("h1", { now, idleCutoff: now - 10 }), undefined, "disabled");
      assert.equal(await store.sessions.purgeExpired({ now, idleCutoff: now - 10 }), 1);
    } finally {
      await store.close();
    }
  });

  test("deleting a user deletes its sessions and tokens (foreign keys on)", async () => {
    const store = await openStore(await db.fresh());
    try {
      const u = await store.users.insert(newUser("dave"));
      await store.sessions.insert({ id: "s", token_hash: "h", user_id: u.id, method: "password", user_agent: null, ip: null, created_at: now, last_seen_at: now, expires_at: now + 1000 });
      await store.githubTokens.save(u.id, { access_token: "sealed", refresh_token: null, scopes: "", expires_at: null, refresh_expires_at: null }, now);
      assert.equal(await store.users.delete(u.id), true);
      assert.equal(await store.sessions.findLive("h", { now, idleCutoff: 0 }), undefined);
      assert.equal(await store.githubTokens.find(u.id), undefined);
    } finally {
      await store.close();
    }
  });

  test("an OAuth transaction is consumed once, even by concurrent callers", async () => {
    const store = await openStore(await db.fresh());
    try {
      await store.oauthTransactions.insert({ binding_hash: "b", state: "s", code_verifier: "v", redirect_uri: "r", return_to: "/", created_at: now, expires_at: now + 600_000 });
      const results = await Promise.all(Array.from({ length: 5 }, () => store.oauthTransactions.consume("b")));
      assert.equal(results.filter((r) => r !== undefined).length, 1);
    } finally {
      await store.close();
    }
  });

  test("the sign-in's fixed statements write and read the rows the query builder did, in and out of a transaction", async () => {
    const store = await openStore(await db.fresh());
    try {
      // oauth_transactions: the columns left out take their defaults; every value comes back in its column.
      await store.oauthTransactions.insert({ binding_hash: "b1", state: "s1", code_verifier: "v1", redirect_uri: "https://app/cb", return_to: "/r",
        created_at: now, expires_at: now + 5 });
      await store.oauthTransactions.insert({ binding_hash: "b2", provider: "acme", state: "s2", code_verifier: "v2", nonce: "n2",
        redirect_uri: "https://app/cb2", return_to: "/r2", link_user_id: null, created_at: now + 1, expires_at: now + 6 });
      assert.deepEqual(await store.transaction((tx) => tx.oauthTransactions.consume("b1")), { binding_hash: "b1", state: "s1", code_verifier: "v1",
        redirect_uri: "https://app/cb", return_to: "/r", created_at: now, expires_at: now + 5, provider: "github", nonce: null, link_user_id: null });
      assert.deepEqual(await store.oauthTransactions.consume("b2"), { binding_hash: "b2", state: "s2", code_verifier: "v2",
        redirect_uri: "https://app/cb2", return_to: "/r2", created_at: now + 1, expires_at: now + 6, provider: "acme", nonce: "n2", link_user_id: null });
      assert.equal(await store.oauthTransactions.consume("b2"), undefined);

      // users by GitHub id: the same row as the query builder's lookup by id, in a transaction too.
      const u = await store.users.insert(newUser("gia", { github_id: 4242, github_login: "Gia", email: "gia@example.com" }));
      assert.deepEqual(await store.users.findByGitHubId(4242), await store.users.findById(u.id));
      assert.deepEqual(await store.transaction((tx) => tx.users.findByGitHubId(4242)), u);
      assert.equal(await store.users.findByGitHubId(4243), undefined);

      // sessions: what is inserted is what the lookup (prepared outside, query builder inside a transaction) finds.
      const session = { id: "sid", token_hash: "th", user_id: u.id, method: "github", user_agent: "ua", ip: "::1", created_at: now, last_seen_at: now, expires_at: now + 9 };
      await store.transaction((tx) => tx.sessions.insert(session));
      assert.deepEqual((await store.sessions.findLive("th", { now, idleCutoff: now - 1 }))?.session, session);

      // github_tokens: an upsert that replaces every value, bumps the version and clears the lease and needs_reauth.
      await store.githubTokens.save(u.id, { access_token: "a1", refresh_token: "r1", scopes: "read:user", expires_at: now + 1, refresh_expires_at: now + 2 }, now);
      assert.deepEqual(await store.githubTokens.find(u.id), { user_id: u.id, access_token: "a1", refresh_token: "r1", scopes: "read:user",
        expires_at: now + 1, refresh_expires_at: now + 2, needs_reauth: 0, version: 0, refreshing_until: null, updated_at: now });
      await store.githubTokens.markNeedsReauth(u.id, 0, now);
      assert.equal(await store.githubTokens.acquireRefreshLease(u.id, 1, now, now + 30_000), true);
      await store.transaction((tx) => tx.githubTokens.save(u.id, { access_token: "a2", refresh_token: null, scopes: "", expires_at: null, refresh_expires_at: null }, now + 7));
      assert.deepEqual(await store.githubTokens.find(u.id), { user_id: u.id, access_token: "a2", refresh_token: null, scopes: "",
        expires_at: null, refresh_expires_at: null, needs_reauth: 0, version: 2, refreshing_until: null, updated_at: now + 7 });
    } finally {
      await store.close();
    }
  });

  test("the refresh lease and compare-and-swap let one writer win", async () => {
    const store = await openStore(await db.fresh());
    try {
      const u = await store.users.insert(newUser("erin"));
      const values = { access_token: "a", refresh_token: "r", scopes: "", expires_at: now, refresh_expires_at: null };
      await store.githubTokens.save(u.id, values, now);
      const row = await store.githubTokens.find(u.id);
      assert.ok(row);
      const leases = await Promise.all([1, 2, 3].map(() => store.githubTokens.acquireRefreshLease(u.id, row.version, now, now + 30_000)));
      assert.deepEqual(leases.filter(Boolean).length, 1);
      assert.equal(await store.githubTokens.replaceAfterRefresh(u.id, row.version, { ...values, access_token: "a2" }, now), true);
      assert.equal(await store.githubTokens.replaceAfterRefresh(u.id, row.version, { ...values, access_token: "a3" }, now), false);
      assert.equal((await store.githubTokens.find(u.id))?.access_token, "a2");
    } finally {
      await store.close();
    }
  });

  test("user search matches substrings case-insensitively and treats % and _ literally", async () => {
    const store = await openStore(await db.fresh());
    try {
      for (const n of ["alice", "alfred", "bob", "al_x"]) await store.users.insert(newUser(n, { name: n.toUpperCase() }));
      const page = await store.users.list({ search: "AL", limit: 2, offset: 0 });
      assert.equal(page.total, 3);
      assert.deepEqual(page.rows.map((r) => r.username), ["al_x", "alfred"]);
      assert.deepEqual((await store.users.list({ search: "_", limit: 10, offset: 0 })).rows.map((r) => r.username), ["al_x"]);
      assert.equal((await store.users.list({ limit: 10, offset: 3 })).rows.length, 1);
    } finally {
      await store.close();
    }
  });
});

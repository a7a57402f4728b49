/**
 * A SQLite service never loads PostgreSQL's driver or the shared rate limiter built on it: they are
 * ~80 files read and compiled at every start (bench/README.md, "npm start"). A PostgreSQL store
 * loads them when it opens. Each test file runs in its own process, so nothing else loaded them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createGatehouse, createLogger } from "../../src/index.js";
import { openStore } from "../../src/store/index.js";

// pg and rate-limiter-flexible are CommonJS: once imported, they sit in the CommonJS module cache.
const cache = createRequire(import.meta.url).cache;
const loaded = (pkg: string) => Object.keys(cache).some((path) => path.includes(`/node_modules/${pkg}/`));

test("a service on SQLite, signed in and checked, has not loaded pg or rate-limiter-flexible; a PostgreSQL store loads them", async () => {
  const gatehouse = await createGatehouse({
    publicUrl: "http://127.0.0.1:3000", database: "sqlite::memory:", secret: randomBytes(32),
    github: { clientId: "Ov23liDriverTest", clientSecret: "unused", webUrl: "http://127.0.0.1:9", apiUrl: "http://127.0.0.1:9" },
    logger: createLogger({ level: "silent" }),
  });
  try {
    await gatehouse.users.create({ username: "root", role: "admin", password: "root-password-1" });
    const login = await gatehouse.fetch(new Request("http://127.0.0.1:3000/api/users/login", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "root", password: "root-password-1" }),
    }), { clientAddress: "192.0.2.1" });
    assert.equal(login.status, 200, "the password sign-in (with its attempt limits) ran");
    const cookie = (login.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session=")) ?? "").split(";")[0] ?? "";
    const me = await gatehouse.fetch(new Request("http://127.0.0.1:3000/api/users/me", { headers: { cookie } }));
    assert.equal(me.status, 200, "the session check ran");
    assert.equal(loaded("pg"), false, "pg is not loaded");
    assert.equal(loaded("rate-limiter-flexible"), false, "rate-limiter-flexible is not loaded");
  } finally {
    await gatehouse.close();
  }

  // Opening a PostgreSQL store loads them, whether or not a server answers (port 1 refuses at once).
  await assert.rejects(openStore("postgres://gatehouse@127.0.0.1:1/none"), { name: "StoreError" });
  assert.equal(loaded("pg"), true);
  assert.equal(loaded("rate-limiter-flexible"), true);
});

/**
 * A GitHub-only account may add a password (to sign in without GitHub), but with no current
 * password to prove, only from a fresh sign-in: a stolen session cookie must not be able to add a
 * password and keep the account after that session is revoked.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { signInWithGitHub, startStack } from "./harness.js";
import type { Stack } from "./harness.js";

forEachDatabase("setting a first password", (db) => {
  let stack: Stack;
  let now = Date.now();
  before(async () => { stack = await startStack({ database: await db.fresh(), config: { now: () => now } }); });
  after(async () => { await stack.close(); });

  const setPassword = (browser: ReturnType<Stack["browser"]>, password: string) =>
    browser.fetch("/api/users/password", { method: "PUT", json: { new_password: password } });

  test("right after signing in with GitHub, a password-less account can set one, and then sign in with it", async () => {
    const browser = stack.browser();
    assert.equal((await signInWithGitHub(stack, browser, "alice")).status, 302);
    now += 9 * 60_000;
    assert.equal((await setPassword(browser, "alice-first-pass")).status, 204);
    const login = await stack.browser().fetch("/api/users/login", { method: "POST", json: { username: "alice", password: "alice-first-pass" } });
    assert.equal(login.status, 200);
  });

  test("from a session opened more than 10 minutes ago it is refused (recent_sign_in_required) and no password is set", async () => {
    const browser = stack.browser();
    assert.equal((await signInWithGitHub(stack, browser, "carol")).status, 302);
    now += 11 * 60_000;
    const res = await setPassword(browser, "stolen-cookie-pass");
    assert.equal(res.status, 403);
    const problem = (await res.json()) as { code: string; field: string };
    assert.equal(problem.code, "recent_sign_in_required");
    assert.equal(problem.field, "new_password");
    assert.equal((await stack.gatehouse.users.getByUsername("carol")).hasPassword, false);
    // A fresh sign-in is the way on.
    const fresh = stack.browser();
    assert.equal((await signInWithGitHub(stack, fresh, "carol")).status, 302);
    assert.equal((await setPassword(fresh, "carol-first-pass")).status, 204);
  });
});

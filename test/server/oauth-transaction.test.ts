import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { forEachDatabase } from "../store/databases.js";
import { authorizeAtGitHub, CLIENT_ID, CLIENT_SECRET, countAndClearTransactions, startStack } from "./harness.js";
import type { Stack } from "./harness.js";
import { createGatehouse, createLogger } from "../../src/index.js";

forEachDatabase("the OAuth transaction lives server-side", (db) => {
  let stack: Stack;
  let clock = Date.now();
  let database: string;
  before(async () => {
    database = await db.fresh();
    stack = await startStack({ database, config: { now: () => clock } });
  });
  after(async () => { await stack.close(); });

  test("an expired transaction (over 10 minutes) fails cleanly with transaction_expired and creates nothing", async () => {
    const browser = stack.browser();
    const callback = await authorizeAtGitHub(stack, browser, "alice");
    clock += 10 * 60_000 + 1;
    const res = await browser.fetch(callback.toString());
    assert.equal(res.headers.get("location"), "/login?error=transaction_expired");
    assert.equal(browser.cookies.has("gatehouse_session"), false);
    assert.equal((await stack.gatehouse.users.list()).total, 0);
    // GitHub was never asked to exchange the code.
    assert.equal(stack.gh.requests().filter((r) => r.route === "POST /login/oauth/access_token").length, 0);
  });

  test("expired transactions are purged", async () => {
    await countAndClearTransactions(stack.gatehouse);
    await stack.browser().fetch("/auth/github");
    await stack.browser().fetch("/auth/github");
    clock += 11 * 60_000;
    await stack.browser().fetch("/auth/github");
    const purged = await stack.gatehouse.users.purgeExpired();
    assert.equal(purged.transactions, 2);
    assert.equal(await countAndClearTransactions(stack.gatehouse), 1, "the live one stays");
  });

  test("a sign-in started on one instance completes on another sharing the database (defect 1: no per-process state)", async () => {
    // Instances of one deployment share the database and GATEHOUSE_SECRET (the verifier is sealed with it).
    const secret = randomBytes(32);
    const url = stack.url;
    const mk = () => createGatehouse({
      publicUrl: url, database, secret, now: () => clock, logger: createLogger({ level: "silent" }),
      github: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: stack.gh.url, apiUrl: stack.gh.url },
    });
    const a = await mk();
    const b = await mk();
    try {
      const begin = await a.fetch(new Request(`${url}/auth/github?return_to=/x`));
      const binding = /gatehouse_oauth=([^;]+)/.exec(begin.headers.get("set-cookie") ?? "")?.[1] ?? "";
      stack.gh.setAutoApprove("carol");
      const cb = (await fetch(begin.headers.get("location") ?? "", { redirect: "manual" })).headers.get("location") ?? "";
      const done = await b.fetch(new Request(cb, { headers: { cookie: `gatehouse_oauth=${binding}` } }));
      assert.equal(done.status, 302);
      assert.equal(done.headers.get("location"), "/x");
    } finally {
      await a.close();
      await b.close();
    }
  });
});

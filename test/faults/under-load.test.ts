/**
 * Faults under concurrent load: GitHub slow and failing at random while sign-ins run, and
 * PostgreSQL going down and coming back while sign-ins and session checks run. Each asserts no
 * crash, only clear answers (never a 500), no half-made rows, and recovery after.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { forEachDatabase } from "../store/databases.js";
import { authorizeAtGitHub, signInWithGitHub, startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { startTcpProxy } from "./tcp-proxy.js";

/** One browser sign-in as `login`: the status and where it lands; a refused first step counts as its status. */
async function signIn(stack: Stack, login: string): Promise<{ status: number; location: string; session: boolean }> {
  const browser = stack.browser();
  let callback: URL;
  try {
    callback = await authorizeAtGitHub(stack, browser, login);
  } catch (err) {
    return { status: Number(/got (\d{3})/.exec(String(err))?.[1] ?? 0), location: "", session: false };
  }
  const res = await browser.fetch(callback.toString());
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get("location") ?? "", session: browser.cookies.has("gatehouse_session") };
}

forEachDatabase("faults under load", (db) => {
  test("GitHub slow and failing during 16 concurrent sign-ins: each lands signed in or on a named GitHub error, no 500, one user per account, then recovery", async () => {
    const stack = await startStack({ database: await db.fresh(), timeoutMs: 1000 });
    after(() => stack.close());
    stack.gh.injectFault("POST /login/oauth/access_token", { status: 502, times: 4 });
    stack.gh.injectFault("GET /user", { delayMs: 3000, times: 3 });
    stack.gh.injectFault("GET /user/emails", { status: 500, times: 3 });
    stack.gh.injectFault("GET /user", { rateLimit: "secondary", status: 429, retryAfter: 5, times: 2 });
    // Two accounts, 8 sign-ins each: GitHub keeps 10 tokens per user and app, and revokes older ones.
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(stack, i % 2 === 0 ? "alice" : "carol")));
    for (const r of results) {
      assert.equal(r.status, 302, JSON.stringify(r));
      if (r.location === "/") assert.ok(r.session, "a success sets the session");
      else {
        assert.match(r.location, /^\/login\?error=github_(unavailable|timeout|rate_limited)$/, JSON.stringify(results));
        assert.equal(r.session, false);
      }
    }
    assert.ok(results.some((r) => r.location !== "/"), "some sign-ins met a fault");
    const users = await stack.gatehouse.users.list();
    assert.ok(users.total <= 2, "one user per GitHub account, whatever failed around it");
    stack.gh.clearFaults();
    assert.equal((await signInWithGitHub(stack, stack.browser(), "bob")).headers.get("location"), "/");
  });

  if (db.name !== "postgres") return;
  test("PostgreSQL down and back while sign-ins and session checks run: only 2xx/3xx or 503, then everything succeeds again", async () => {
    const proxy = await startTcpProxy(await db.fresh());
    const stack = await startStack({ database: proxy.url });
    after(async () => { await stack.close(); await proxy.close(); });
    const browser = stack.browser();
    assert.equal((await signInWithGitHub(stack, browser, "alice")).status, 302);
    let stop = false;
    const statuses: number[] = [];
    const load = Array.from({ length: 4 }, async (_, i) => {
      while (!stop) {
        if (i === 0) statuses.push((await signIn(stack, "carol")).status);
        else {
          const res = await browser.fetch("/api/users/me");
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }
    });
    await sleep(300);
    await proxy.down();
    await sleep(700);
    await proxy.up();
    await sleep(300);
    await proxy.down();
    await sleep(300);
    await proxy.up();
    // Recovery: the health probe passes again while the load still runs.
    for (let i = 0; i < 100 && (await fetch(`${stack.url}/healthz`)).status !== 200; i++) await sleep(100);
    stop = true;
    await Promise.all(load);
    assert.ok(statuses.includes(503), "the outage was seen");
    assert.deepEqual(statuses.filter((s) => ![200, 302, 503].includes(s)), [], statuses.join(","));
    assert.equal((await browser.fetch("/api/users/me")).status, 200);
    assert.equal((await signIn(stack, "carol")).location, "/");
    assert.ok(stack.logs.filter((l) => /database unavailable/.test(l)).length <= 2, "at most one line per outage");
  });
});

/**
 * The database failing under the service: PostgreSQL ending connections in use, PostgreSQL down and
 * back (a TCP proxy cut in front of it), SQLite locked by another process. Each asserts the
 * process lives, answers `503 database_unavailable` with `retry-after` (a page for browsers),
 * `/healthz` fails, one log line per outage, no half-made rows, and recovery on its own.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { forEachDatabase } from "../store/databases.js";
import { isDatabaseUnavailable, openStore } from "../../src/store/index.js";
import { authorizeAtGitHub, signInWithGitHub, startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { startTcpProxy } from "./tcp-proxy.js";

/** Ends every connection to `url`'s database but the caller's, as a failover or an admin would. */
async function terminateBackends(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    return r.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const outageLines = (stack: Stack) => stack.logs.filter((l) => /database unavailable/.test(l));

/** The service's answers while its database is unavailable; `signIn` is a GitHub sign-in that must not half-happen. */
async function assertUnavailable(stack: Stack, browser: ReturnType<Stack["browser"]>): Promise<void> {
  const api = await browser.fetch("/api/users/me");
  assert.equal(api.status, 503);
  assert.equal(api.headers.get("content-type"), "application/problem+json");
  assert.equal(api.headers.get("retry-after"), "5");
  assert.equal(((await api.json()) as { code: string }).code, "database_unavailable");
  const page = await browser.fetch("/account", { headers: { accept: "text/html" } });
  assert.equal(page.status, 503);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await page.text(), /Temporarily unavailable/);
  const health = await fetch(`${stack.url}/healthz`);
  assert.equal(health.status, 503);
  assert.equal(((await health.json()) as { code: string }).code, "database_unavailable");
}

async function assertRecovered(stack: Stack, browser: ReturnType<Stack["browser"]>): Promise<void> {
  await until("/healthz to pass again", async () => (await fetch(`${stack.url}/healthz`)).status === 200);
  const me = await browser.fetch("/api/users/me");
  assert.equal(me.status, 200);
  await until("the recovery log line", async () => stack.logs.some((l) => /database available again/.test(l)));
  assert.equal(stack.logs.filter((l) => /"level":50/.test(l) && !/database unavailable/.test(l)).length, 0, "no other error lines");
  assert.ok(!stack.logs.some((l) => /unhandled error/.test(l)), "no stack per request");
}

test("isDatabaseUnavailable: a read-only SQLite file and a refused connection are outages; a constraint error is not", async () => {
  const file = new BetterSqlite3(":memory:");
  file.exec("create table t (x integer primary key)");
  file.exec("insert into t values (1)");
  let constraint: unknown;
  try { file.exec("insert into t values (1)"); } catch (err) { constraint = err; }
  assert.equal(isDatabaseUnavailable(constraint), false);
  file.close();
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-ro-"));
  try {
    new BetterSqlite3(join(dir, "ro.db")).exec("create table t (x)");
    const ro = new BetterSqlite3(join(dir, "ro.db"), { readonly: true });
    let readOnly: unknown;
    try { ro.exec("insert into t values (1)"); } catch (err) { readOnly = err; }
    ro.close();
    assert.match(String((readOnly as { code?: string }).code), /^SQLITE_READONLY/);
    assert.equal(isDatabaseUnavailable(readOnly), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let refused: unknown;
  const client = new pg.Client({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
  try { await client.connect(); } catch (err) { refused = err; }
  assert.equal(isDatabaseUnavailable(refused), true);
  assert.equal(isDatabaseUnavailable(new Error("boom")), false);
});

forEachDatabase("database outages", (db) => {
  if (db.name === "postgres") {
    test("PostgreSQL ending a connection that is checked out does not end the process; the pool reconnects", async () => {
      const url = await db.fresh();
      const store = await openStore(url);
      after(() => store.close());
      let failed: unknown;
      try {
        await store.transaction(async (tx) => {
          await tx.users.findByUsername("nobody");
          // The transaction holds its client, idle between queries, when the server ends it.
          assert.ok((await terminateBackends(url)) >= 1);
          await sleep(300);
          await tx.users.findByUsername("nobody");
        });
      } catch (err) {
        failed = err;
      }
      assert.equal(isDatabaseUnavailable(failed), true, String(failed));
      assert.equal(await store.users.findByUsername("nobody"), undefined);
    });

    test("backends terminated during sign-ins and session checks: answers are 2xx/3xx or 503, never 500, and later requests succeed", async () => {
      const url = await db.fresh();
      const stack = await startStack({ database: url });
      after(() => stack.close());
      const browser = stack.browser();
      assert.equal((await signInWithGitHub(stack, browser, "alice")).status, 302);
      let stop = false;
      const killer = (async () => {
        let n = 0;
        while (!stop) {
          n += await terminateBackends(url);
          await sleep(5);
        }
        return n;
      })();
      const statuses: number[] = [];
      // The harness's sign-in throws on a 503 at its first step: that status is recorded too.
      const status = async (req: () => Promise<Response>) => {
        try {
          const r = await req();
          await r.arrayBuffer();
          return r.status;
        } catch (err) {
          return Number(/got (\d{3})/.exec(String(err))?.[1] ?? 0);
        }
      };
      try {
        await Promise.all(Array.from({ length: 4 }, async (_, i) => {
          for (let k = 0; k < 15; k++) {
            statuses.push(await status(() => (i % 2 === 0 ? browser.fetch("/api/users/me") : signInWithGitHub(stack, stack.browser(), "carol"))));
          }
        }));
      } finally {
        stop = true;
      }
      assert.ok((await killer) > 0, "backends were terminated while the requests ran");
      assert.deepEqual(statuses.filter((s) => s === 0 || (s >= 500 && s !== 503)), [], `statuses: ${statuses.join(",")}`);
      await assertRecovered(stack, browser);
    });

    test("PostgreSQL down, then back: 503 database_unavailable with retry-after, one log line, then recovery on its own", async () => {
      const url = await db.fresh();
      const proxy = await startTcpProxy(url);
      const stack = await startStack({ database: proxy.url });
      after(async () => { await stack.close(); await proxy.close(); });
      const browser = stack.browser();
      assert.equal((await signInWithGitHub(stack, browser, "alice")).status, 302);
      await proxy.down();
      await assertUnavailable(stack, browser);
      const failedSignIn = await signInWithGitHub(stack, stack.browser(), "carol").catch(() => undefined);
      assert.ok(failedSignIn === undefined || failedSignIn.status === 503);
      for (let i = 0; i < 5; i++) assert.equal((await browser.fetch("/api/users/me")).status, 503);
      assert.equal(outageLines(stack).length, 1, outageLines(stack).join("\n"));
      await proxy.up();
      await assertRecovered(stack, browser);
      assert.equal(await stack.gatehouse.store.users.findByUsername("carol"), undefined, "no half-made user");
    });
  } else {
    test("SQLite locked by another process: 503 database_unavailable after the busy timeout, /healthz fails, then recovery", async () => {
      const url = await db.fresh();
      const stack = await startStack({ database: url });
      after(() => stack.close());
      const browser = stack.browser();
      assert.equal((await signInWithGitHub(stack, browser, "alice")).status, 302);
      const other = new BetterSqlite3(url.slice("sqlite:".length));
      after(() => other.close());
      const carol = stack.browser();
      const callback = await authorizeAtGitHub(stack, carol, "carol");
      other.exec("begin exclusive");
      const signIn = await carol.fetch(callback.toString());
      assert.equal(signIn.status, 503);
      assert.equal(signIn.headers.get("retry-after"), "5");
      const health = await fetch(`${stack.url}/healthz`);
      assert.equal(health.status, 503);
      assert.equal(outageLines(stack).length, 1, outageLines(stack).join("\n"));
      other.exec("rollback");
      await assertRecovered(stack, browser);
      assert.equal(await stack.gatehouse.store.users.findByUsername("carol"), undefined, "no half-made user");
      assert.equal((await signInWithGitHub(stack, stack.browser(), "carol")).status, 302);
    });
  }
});

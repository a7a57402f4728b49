/**
 * SIGTERM while a sign-in is in flight (GitHub slow to answer the code exchange): `gatehouse serve`
 * stops accepting, finishes the callback, closes the database after it, and exits 0 with nothing
 * logged at error level. Run as a real child process on SQLite and PostgreSQL.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { forEachDatabase } from "../store/databases.js";
import { Browser } from "../server/harness.js";
import { startServe } from "../cli/serve-process.js";

forEachDatabase("SIGTERM mid-request", (db) => {
  test("the in-flight GitHub callback completes, new connections are refused, exit 0, no error-level line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-sigterm-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const serve = await startServe({ GATEHOUSE_PORT: "0", GATEHOUSE_DATABASE_URL: await db.fresh(), GATEHOUSE_DATA_DIR: join(dir, "data") });
    const control = (path: string, body: unknown) =>
      fetch(`${serve.githubUrl}/_emulator/${path}`, { method: path === "auto-approve" ? "PUT" : "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    let ended = false;
    try {
      assert.equal((await control("auto-approve", { login: "octocat" })).status, 204);
      const browser = new Browser(serve.loginUrl.origin);
      const start = await browser.fetch("/auth/github");
      const authorize = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
      const callback = authorize.headers.get("location") ?? "";
      // GitHub takes 4 s over the code exchange: the callback is in flight when SIGTERM comes, 1 s in
      // (time for a loaded machine to have read the request).
      assert.equal((await control("faults", { route: "POST /login/oauth/access_token", fault: { delayMs: 4000 } })).status, 204);
      const inFlight = browser.fetch(callback);
      await sleep(1000);
      serve.proc.child.kill("SIGTERM");
      await serve.proc.waitForStdout(/SIGTERM: shutting down/);
      await assert.rejects(fetch(new URL("/healthz", serve.loginUrl)), "a new connection is refused once stopping");
      const back = await inFlight;
      assert.equal(back.status, 302);
      assert.doesNotMatch(back.headers.get("location") ?? "", /^\/login/, "not sent back to the sign-in page");
      assert.ok(browser.cookies.header()?.includes("gatehouse_session="), "the session cookie was set");
      const end = await serve.proc.done;
      ended = true;
      assert.equal(end.status, 0, end.stdout.slice(-2000) + end.stderr);
      assert.equal(end.stderr, "");
      assert.doesNotMatch(end.stdout, /"level":(50|60)/);
      assert.doesNotMatch(end.stdout, /destroyed|cut off/);
    } finally {
      if (!ended) await serve.stop();
    }
  });
});

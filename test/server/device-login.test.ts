import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { randomBytes } from "node:crypto";
import { CLIENT_ID, CLIENT_SECRET, startStack } from "./harness.js";
import { GitHubOAuth } from "../../src/github/index.js";
import { fromGitHubOAuth, Users } from "../../src/users/index.js";
import type { Stack } from "./harness.js";

type Poll = { status?: string; interval?: number; token?: string; user?: { username: string }; code?: string; detail?: string };

forEachDatabase("device login over HTTP", (db) => {
  let stack: Stack;
  let clock = Date.now();
  before(async () => {
    stack = await startStack({ database: await db.fresh(), deviceInterval: 5, emulatorNow: () => clock, config: { now: () => clock } });
  });
  after(async () => { await stack.close(); });

  async function start(): Promise<{ handle: string; user_code: string; verification_uri: string; expires_in: number; interval: number }> {
    const res = await fetch(`${stack.url}/api/device/start`, { method: "POST", headers: { "user-agent": "gatehouse-cli/0.1" } });
    assert.equal(res.status, 200);
    return (await res.json()) as Awaited<ReturnType<typeof start>>;
  }

  async function poll(handle: string): Promise<{ status: number; body: Poll }> {
    const res = await fetch(`${stack.url}/api/device/poll`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ handle }) });
    return { status: res.status, body: (await res.json()) as Poll };
  }

  function tokenPolls(): number {
    return stack.gh.requests().filter((r) => r.route === "POST /login/oauth/access_token").length;
  }

  test("start → pending → user approves on GitHub → { user, token }; the token is a Bearer session", async () => {
    const d = await start();
    assert.match(d.user_code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.equal(d.verification_uri, `${stack.gh.url}/login/device`);
    assert.equal(d.interval, 5);
    assert.ok(d.expires_in > 800 && d.expires_in <= 900);
    assert.deepEqual((await poll(d.handle)).body, { status: "pending", interval: 5 });
    stack.gh.approveDevice(d.user_code, "alice");
    clock += 5_000;
    const done = await poll(d.handle);
    assert.equal(done.status, 200);
    assert.equal(done.body.status, "complete");
    assert.equal(done.body.user?.username, "alice");
    const me = await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${done.body.token}` } });
    const session = ((await me.json()) as { session: { method: string; user_agent: string } }).session;
    assert.equal(session.method, "device");
    // The handle is spent: a second poll cannot mint a second session.
    assert.equal((await poll(d.handle)).body.code, "device_login_expired");
    assert.equal((await fetch(`${stack.url}/api/users/logout`, { method: "POST", headers: { authorization: `Bearer ${done.body.token}` } })).status, 204);
    assert.equal((await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${done.body.token}` } })).status, 401);
  });

  test("polls faster than GitHub's interval are answered pending without reaching GitHub (no slow_down)", async () => {
    const d = await start();
    const before = tokenPolls();
    const results = await Promise.all(Array.from({ length: 6 }, () => poll(d.handle)));
    assert.ok(results.every((r) => r.body.status === "pending"));
    assert.equal(tokenPolls() - before, 1, "one token request for six concurrent polls");
    for (let i = 0; i < 3; i++) await poll(d.handle);
    assert.equal(tokenPolls() - before, 1, "still one: the interval has not passed");
    clock += 5_000;
    await poll(d.handle);
    assert.equal(tokenPolls() - before, 2);
    assert.equal(stack.gh.requests().filter((r) => r.route === "POST /login/oauth/access_token" && r.status === 200 && JSON.stringify(r.body).includes("slow_down")).length, 0);
  });

  test("a user who cancels on GitHub ends the login with device_login_denied", async () => {
    const d = await start();
    stack.gh.denyDevice(d.user_code);
    clock += 5_000;
    const res = await poll(d.handle);
    assert.equal(res.status, 403);
    assert.equal(res.body.code, "device_login_denied");
  });

  test("an expired device code ends with device_login_expired; an unknown handle too", async () => {
    const d = await start();
    clock += 901_000;
    const res = await poll(d.handle);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, "device_login_expired");
    assert.equal((await poll("x".repeat(43))).body.code, "device_login_expired");
    const bad = await fetch(`${stack.url}/api/device/poll`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(bad.status, 400);
  });

  test("a well-formed but unknown handle says the device login is unknown, not that the handle is missing", async () => {
    for (const handle of ["not-a-real-handle", "x".repeat(43)]) {
      const res = await poll(handle);
      assert.equal(res.status, 400, handle);
      assert.equal(res.body.code, "device_login_expired", handle);
      assert.equal(res.body.detail, "this device login is unknown or has expired; start again", handle);
    }
  });

  test("a device login started under another secret (GATEHOUSE_SECRET changed) ends with device_login_expired, not a 500", async () => {
    const other = new Users({ store: stack.gatehouse.store, secret: randomBytes(32), publicUrl: stack.url, now: () => clock,
      github: fromGitHubOAuth(new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: stack.gh.url, apiUrl: stack.gh.url, now: () => clock })) });
    const d = await other.startDeviceLogin();
    clock += 5_000;
    const res = await poll(d.handle);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, "device_login_expired");
    assert.equal((await poll(d.handle)).body.code, "device_login_expired", "the unusable row is gone");
  });

  test("device flow faults at GitHub are a 502 problem and the login can be polled again", async () => {
    const d = await start();
    stack.gh.injectFault("POST /login/oauth/access_token", { status: 502 });
    clock += 5_000;
    const failed = await poll(d.handle);
    assert.ok(failed.status === 502 || failed.status === 503, JSON.stringify(failed));
    stack.gh.approveDevice(d.user_code, "carol");
    clock += 10_000;
    const ok = await poll(d.handle);
    assert.equal(ok.body.status, "complete");
  });
});

forEachDatabase("device login starts are rate limited per address", (db) => {
  test("past the limit a start is 429 rate_limited with Retry-After, and GitHub is not asked", async () => {
    const stack = await startStack({ database: await db.fresh(), config: { loginLimits: { deviceStartsPerAddress: { limit: 3, windowMs: 60_000 } } } });
    try {
      const start = () => fetch(`${stack.url}/api/device/start`, { method: "POST" });
      for (let i = 0; i < 3; i++) assert.equal((await start()).status, 200);
      const refused = await start();
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get("retry-after")) > 0);
      assert.equal(((await refused.json()) as { code: string }).code, "rate_limited");
      assert.equal(stack.gh.requests().filter((r) => r.route === "POST /login/device/code").length, 3);
    } finally {
      await stack.close();
    }
  });
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { forEachDatabase } from "../store/databases.js";
import { codxWire, signInParts, signInWithGitHub, startStack } from "./harness.js";
import type { Browser, Stack } from "./harness.js";

type Json = Record<string, unknown>;

async function login(browser: Browser, username: string, password: string): Promise<Response> {
  return browser.fetch("/api/users/login", { method: "POST", json: { username, password } });
}

async function problemOf(res: Response): Promise<{ status: number; type: string | null; code: unknown; body: Json }> {
  const body = (await res.json()) as Json;
  return { status: res.status, type: res.headers.get("content-type"), code: body["code"], body };
}

forEachDatabase("password login, profile and admin API", (db) => {
  let stack: Stack;
  let admin: Browser;
  before(async () => {
    stack = await startStack({
      database: await db.fresh(),
      config: { loginLimits: { perUsername: { limit: 5, windowMs: 60_000 }, perAddress: { limit: 50, windowMs: 60_000 } } },
    });
    await stack.gatehouse.users.create({ username: "root", role: "admin", password: "root-password-1" });
    await stack.gatehouse.users.create({ username: "second-admin", role: "admin", password: "root-password-2" });
    admin = stack.browser();
    assert.equal((await login(admin, "root", "root-password-1")).status, 200);
  });
  after(async () => { await stack.close(); });

  test("password login answers { user, token } with a session cookie; the token works as Bearer; logout revokes it server-side", async () => {
    await stack.gatehouse.users.create({ username: "pat", password: "pat-password-1" });
    const browser = stack.browser();
    const res = await login(browser, "Pat", "pat-password-1");
    assert.equal(res.status, 200);
    const { user, token } = signInParts(await res.json());
    assert.equal(user["username"], "pat");
    assert.equal(user["password_hash"], undefined);
    assert.ok(browser.cookies.get("gatehouse_session"));
    const bearer = { authorization: `Bearer ${token}` };
    const me = await fetch(`${stack.url}/api/users/me`, { headers: bearer });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get("cache-control"), "no-store", "user data is not cached");
    const out = await fetch(`${stack.url}/api/users/logout`, { method: "POST", headers: bearer });
    assert.equal(out.status, 204);
    // Defect 3: sessions are revocable; the same token is dead at once.
    assert.equal((await fetch(`${stack.url}/api/users/me`, { headers: bearer })).status, 401);
  });

  test("unknown user and wrong password get the same 401 answer", async () => {
    await stack.gatehouse.users.create({ username: "quinn", password: "quinn-password-1" });
    const wrong = await problemOf(await login(stack.browser(), "quinn", "not-the-password"));
    const unknown = await problemOf(await login(stack.browser(), "nobody-here", "not-the-password"));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.type, "application/problem+json");
    assert.deepEqual(wrong.body, unknown.body);
  });

  test("a first password login never sets the password (defect 2: no takeover of a password-less account)", async () => {
    await stack.gatehouse.users.create({ username: "nopass", role: "admin" });
    const first = await login(stack.browser(), "nopass", "attacker-chosen-1");
    assert.equal(first.status, 401);
    const second = await login(stack.browser(), "nopass", "attacker-chosen-1");
    assert.equal(second.status, 401);
    assert.equal((await stack.gatehouse.users.getByUsername("nopass")).hasPassword, false);
  });

  test("password login is rate limited per username (defect 10) with Retry-After", async () => {
    await stack.gatehouse.users.create({ username: "rita", password: "rita-password-1" });
    for (let i = 0; i < 5; i++) assert.equal((await login(stack.browser(), "rita", `wrong-${i}-password`)).status, 401);
    const limited = await login(stack.browser(), "rita", "rita-password-1");
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    assert.equal((await problemOf(limited)).code, "rate_limited");
  });

  test("GET /api/users needs a session (401) and an admin (403) (defect 8)", async () => {
    const anon = await fetch(`${stack.url}/api/users`);
    assert.equal(anon.status, 401);
    assert.equal(anon.headers.get("content-type"), "application/problem+json");
    await stack.gatehouse.users.create({ username: "uma", password: "uma-password-1" });
    const uma = stack.browser();
    await login(uma, "uma", "uma-password-1");
    // In codx mode every signed-in user lists `{username, avatar}` of everyone (the front end's users list).
    const umaList = await uma.fetch("/api/users");
    assert.equal(umaList.status, codxWire ? 200 : 403);
    if (codxWire) for (const u of (await umaList.json()) as Json[]) assert.deepEqual(Object.keys(u).sort(), ["avatar", "username"]);
    assert.equal((await uma.fetch("/api/users?limit=5")).status, 403);
    assert.equal((await uma.fetch("/api/users", { method: "POST", json: { username: "x" } })).status, 403);
    assert.equal((await uma.fetch("/api/users/root", { method: "PATCH", json: { disabled: true } })).status, 403);
    assert.equal((await uma.fetch("/api/users/root", { method: "DELETE" })).status, 403);
    const list = await admin.fetch("/api/users?limit=2&offset=0");
    assert.equal(list.status, 200);
    const page = (await list.json()) as { users: Json[]; total: number; limit: number };
    assert.equal(page.users.length, 2);
    assert.ok(page.total >= 3);
  });

  test("an unauthenticated PUT /api/users is a 401 problem, not a 500 with a traceback (defect 8)", async () => {
    const res = await fetch(`${stack.url}/api/users`, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    const p = await problemOf(res);
    assert.equal(p.status, 401);
    assert.equal(p.code, "unauthenticated");
    assert.doesNotMatch(JSON.stringify(p.body), /at .*\.ts|Error:/);
  });

  test("PUT /api/users changes name, email, avatar and theme, and refuses username, role and disabled", async () => {
    await stack.gatehouse.users.create({ username: "vera", password: "vera-password-1" });
    const vera = stack.browser();
    await login(vera, "vera", "vera-password-1");
    const ok = await vera.fetch("/api/users", { method: "PUT", json: { name: "Vera V", email: "vera@example.com", avatar: "https://example.com/v.png", theme: "dark" } });
    assert.equal(ok.status, 200);
    const okBody = (await ok.json()) as Json;
    const user = (codxWire ? okBody : okBody["user"]) as Json;
    assert.equal(user["name"], "Vera V");
    assert.equal(user["theme"], "dark");
    // codx mode ignores a read-only field sent unchanged (the front end sends its whole stored user): only changes are refused there.
    for (const field of [{ role: "admin" }, { username: "root2" }, { disabled: true }, ...(codxWire ? [] : [{ disabled: false }])]) {
      const res = await vera.fetch("/api/users", { method: "PUT", json: field });
      assert.equal(res.status, 400, JSON.stringify(field));
    }
    assert.equal((await stack.gatehouse.users.getByUsername("vera")).role, "user");
    const bad = await problemOf(await vera.fetch("/api/users", { method: "PUT", json: { email: "not an email" } }));
    assert.equal(bad.status, 400);
    assert.equal(bad.body["field"], "email");
    const notJson = await vera.fetch("/api/users", { method: "PUT", body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(notJson.status, 415);
  });

  test("valid JSON that fails a field check is invalid_input naming the field; only a body that is not JSON is invalid_json", async () => {
    await stack.gatehouse.users.create({ username: "jules", password: "jules-password-1" });
    const jules = stack.browser();
    await login(jules, "jules", "jules-password-1");
    const wrongType = await problemOf(await jules.fetch("/api/users", { method: "PUT", json: { name: 5 } }));
    assert.deepEqual([wrongType.status, wrongType.code, wrongType.body["field"]], [400, "invalid_input", "name"]);
    const unknown = await problemOf(await jules.fetch("/api/users", { method: "PUT", json: { unknown: 1 } }));
    assert.deepEqual([unknown.status, unknown.code, unknown.body["field"]], [400, "invalid_input", "unknown"]);
    assert.match(String(unknown.body["detail"]), /unknown/);
    const missing = await problemOf(await stack.browser().fetch("/api/users/login", { method: "POST", json: { username: "jules" } }));
    assert.deepEqual([missing.status, missing.code, missing.body["field"]], [400, "invalid_input", "password"]);
    const broken = await problemOf(await jules.fetch("/api/users", { method: "PUT", body: "{", headers: { "content-type": "application/json" } }));
    assert.deepEqual([broken.status, broken.code, broken.body["field"]], [400, "invalid_json", undefined]);
  });

  test("PUT /api/users/password needs the current password and ends the user's other sessions", async () => {
    await stack.gatehouse.users.create({ username: "walt", password: "walt-password-1" });
    const here = stack.browser();
    const there = stack.browser();
    await login(here, "walt", "walt-password-1");
    await login(there, "walt", "walt-password-1");
    const wrong = await here.fetch("/api/users/password", { method: "PUT", json: { current_password: "nope-nope-nope", new_password: "walt-password-2" } });
    assert.equal(wrong.status, 401);
    const ok = await here.fetch("/api/users/password", { method: "PUT", json: { current_password: "walt-password-1", new_password: "walt-password-2" } });
    assert.equal(ok.status, 204);
    assert.equal((await here.fetch("/api/users/me")).status, 200, "this session stays");
    assert.equal((await there.fetch("/api/users/me")).status, 401, "the other session ended");
    assert.equal((await login(stack.browser(), "walt", "walt-password-2")).status, 200);
  });

  test("admin creates a user, disables it (its sessions end at once), enables it, and deletes it", async () => {
    const created = await admin.fetch("/api/users", { method: "POST", json: { username: "xena", role: "user", password: "xena-password-1", github_login: "Xena-GH" } });
    assert.equal(created.status, 201);
    const { user } = (await created.json()) as { user: Json };
    assert.equal(user["invited_github_login"], "xena-gh");
    const dup = await admin.fetch("/api/users", { method: "POST", json: { username: "xena" } });
    assert.equal((await problemOf(dup)).code, "username_taken");
    assert.equal(dup.status, 409);

    const xena = stack.browser();
    await login(xena, "xena", "xena-password-1");
    assert.equal((await xena.fetch("/api/users/me")).status, 200);
    const disabled = await admin.fetch("/api/users/xena", { method: "PATCH", json: { disabled: true } });
    assert.equal(disabled.status, 200);
    assert.equal((await xena.fetch("/api/users/me")).status, 401, "revoked at once");
    assert.equal((await problemOf(await login(stack.browser(), "xena", "xena-password-1"))).code, "account_disabled");

    assert.equal((await admin.fetch("/api/users/xena", { method: "PATCH", json: { disabled: false } })).status, 200);
    const again = stack.browser();
    assert.equal((await login(again, "xena", "xena-password-1")).status, 200);
    assert.equal((await admin.fetch("/api/users/xena", { method: "DELETE" })).status, 204);
    assert.equal((await again.fetch("/api/users/me")).status, 401, "deleted user's sessions are gone");
    assert.equal((await admin.fetch("/api/users/xena", { method: "DELETE" })).status, 404);
  });

  test("the last active admin cannot be demoted, disabled or deleted", async () => {
    for (const other of ["second-admin", "nopass"]) {
      assert.equal((await admin.fetch(`/api/users/${other}`, { method: "PATCH", json: { role: "user" } })).status, 200);
    }
    const res = await admin.fetch("/api/users/root", { method: "PATCH", json: { disabled: true } });
    assert.equal((await problemOf(res)).code, "last_admin");
    assert.equal((await admin.fetch("/api/users/root", { method: "DELETE" })).status, 409);
    assert.equal((await admin.fetch("/api/users/second-admin", { method: "PATCH", json: { role: "admin" } })).status, 200);
  });

  test("admin search pages through users", async () => {
    for (const n of ["srch-a", "srch-b", "srch-c"]) await stack.gatehouse.users.create({ username: n });
    const p1 = (await (await admin.fetch("/api/users?search=SRCH&limit=2")).json()) as { users: Json[]; total: number };
    const p2 = (await (await admin.fetch("/api/users?search=srch&limit=2&offset=2")).json()) as { users: Json[]; total: number };
    assert.equal(p1.total, 3);
    assert.deepEqual([...p1.users, ...p2.users].map((u) => u["username"]), ["srch-a", "srch-b", "srch-c"]);
    for (const bad of ["limit=abc", "limit=-1", "offset=1e3", "offset=10000000"]) {
      const p = await problemOf(await admin.fetch(`/api/users?${bad}`));
      assert.deepEqual([p.status, p.code, p.body["field"]], [400, "invalid_input", bad.split("=")[0]], bad);
    }
  });

  test("concurrent updates of different users lose nothing (defect 9: no whole-file rewrite)", async () => {
    const names = Array.from({ length: 15 }, (_, i) => `conc-${i}`);
    const results = await Promise.all(names.map((username) => admin.fetch("/api/users", { method: "POST", json: { username } })));
    assert.deepEqual(results.map((r) => r.status), names.map(() => 201));
    await Promise.all(names.map((n) => admin.fetch(`/api/users/${n}`, { method: "PATCH", json: { role: "admin" } })));
    const page = (await (await admin.fetch("/api/users?search=conc-&limit=50")).json()) as { users: Json[] };
    assert.equal(page.users.length, 15);
    assert.ok(page.users.every((u) => u["role"] === "admin"));
  });

  test("cookie POSTs need this site's Origin; Bearer requests and cookie-less requests do not", async () => {
    const evil = await admin.fetch("/api/users", { method: "POST", json: { username: "csrf-victim" }, headers: { origin: "https://evil.example" } });
    assert.equal(evil.status, 403);
    assert.equal((await problemOf(evil)).code, "origin_mismatch");
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const noOrigin = await fetch(`${stack.url}/api/users`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ username: "csrf-victim" }) });
    assert.equal(noOrigin.status, 403);
    await assert.rejects(stack.gatehouse.users.getByUsername("csrf-victim"));
    const token = (await (await login(stack.browser(), "root", "root-password-1")).json()) as { token: string };
    const bearer = await fetch(`${stack.url}/api/users`, { method: "POST", headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" }, body: JSON.stringify({ username: "via-bearer" }) });
    assert.equal(bearer.status, 201);
  });

  test("a new sign-in gets a new session id and revokes the browser's previous session (no fixation)", async () => {
    await stack.gatehouse.users.create({ username: "yan", password: "yan-password-1" });
    const b = stack.browser();
    await login(b, "yan", "yan-password-1");
    const first = b.cookies.get("gatehouse_session");
    await signInWithGitHub(stack, b, "carol");
    const second = b.cookies.get("gatehouse_session");
    assert.ok(first && second && first !== second);
    assert.equal((await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${first}` } })).status, 401);
  });

  test("own sessions are listed with user agent and last seen, and one can be revoked", async () => {
    await stack.gatehouse.users.create({ username: "zed", password: "zed-password-1" });
    const laptop = stack.browser();
    const phone = stack.browser();
    await laptop.fetch("/api/users/login", { method: "POST", json: { username: "zed", password: "zed-password-1" }, headers: { "user-agent": "Laptop/1.0" } });
    await phone.fetch("/api/users/login", { method: "POST", json: { username: "zed", password: "zed-password-1" }, headers: { "user-agent": "Phone/2.0" } });
    const { sessions } = (await (await laptop.fetch("/api/users/me/sessions")).json()) as { sessions: Json[] };
    assert.equal(sessions.length, 2);
    const phoneSession = sessions.find((s) => s["user_agent"] === "Phone/2.0");
    assert.ok(phoneSession && typeof phoneSession["last_seen_at"] === "string");
    assert.equal(sessions.find((s) => s["current"] === true)?.["user_agent"], "Laptop/1.0");
    assert.equal((await laptop.fetch(`/api/users/me/sessions/${String(phoneSession["id"])}`, { method: "DELETE" })).status, 204);
    assert.equal((await phone.fetch("/api/users/me")).status, 401);
  });

  test("an oversized JSON body is refused with 413 from its Content-Length, before the server reads it", async () => {
    // Declares 50 MB, sends 1 KB and waits: a server that reads before measuring never answers.
    const res = await new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
      const req = request(`${stack.url}/api/users/login`, {
        method: "POST", headers: { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) },
      }, (r) => {
        let body = "";
        r.setEncoding("utf8").on("data", (d: string) => { body += d; }).on("end", () => resolve({ status: r.statusCode ?? 0, type: r.headers["content-type"], body }));
      });
      req.on("error", reject);
      req.setTimeout(3000, () => { req.destroy(); reject(new Error("no answer: the server is reading the whole declared body")); });
      req.write(`{"username":"${"x".repeat(1000)}`);
    });
    assert.equal(res.status, 413);
    assert.equal(res.type, "application/problem+json");
    assert.equal((JSON.parse(res.body) as Json)["code"], "payload_too_large");
    // A chunked body (no Content-Length) is cut off while streaming.
    const chunked = await fetch(`${stack.url}/api/users/login`, {
      method: "POST", headers: { "content-type": "application/json" }, duplex: "half",
      body: new ReadableStream({ start(c) { for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(8192))); c.close(); } }),
    } as RequestInit);
    assert.equal(chunked.status, 413);
  });

  test("GET /healthz checks the database", async () => {
    const res = await fetch(`${stack.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { approve, authorizeAtGitHub, codxWire, countAndClearTransactions, signInParts, signInWithGitHub, startStack } from "./harness.js";
import type { Stack } from "./harness.js";

forEachDatabase("GitHub sign-in over HTTP", (db) => {
  let stack: Stack;
  before(async () => { stack = await startStack({ database: await db.fresh() }); });
  after(async () => { await stack.close(); });

  test("browser flow: /auth/github → GitHub → callback signs in and returns to return_to with an HttpOnly Lax cookie", async () => {
    const browser = stack.browser();
    const start = await browser.fetch("/auth/github?return_to=/account%3Ftab%3Dsessions");
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get("location") ?? "");
    assert.equal(authorize.origin, stack.gh.url);
    assert.equal(authorize.searchParams.get("redirect_uri"), `${stack.url}/auth/github/callback`);
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
    // The PKCE verifier never leaves the server; only its challenge does.
    assert.equal(authorize.searchParams.get("code_verifier"), null);
    const binding = start.headers.getSetCookie().find((c) => c.startsWith("gatehouse_oauth="));
    assert.match(binding ?? "", /HttpOnly/i);
    assert.match(binding ?? "", /SameSite=Lax/i);

    const callback = await approve(stack, authorize, "alice");
    const done = await browser.fetch(callback.toString());
    assert.equal(done.status, 302);
    assert.equal(done.headers.get("location"), "/account?tab=sessions");
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session="));
    assert.match(cookie ?? "", /HttpOnly/i);
    assert.match(cookie ?? "", /SameSite=Lax/i);
    assert.match(cookie ?? "", /Path=\//);
    assert.doesNotMatch(cookie ?? "", /Secure/, "http public URL: no Secure flag");
    assert.equal(browser.cookies.has("gatehouse_oauth"), false, "binding cookie cleared");

    const me = await browser.fetch("/api/users/me");
    assert.equal(me.status, 200);
    const body = (await me.json()) as { user: { username: string; github: { id: number; login: string }; email: string; has_password: boolean } };
    assert.equal(body.user.username, "alice");
    assert.deepEqual(body.user.github, { id: 1001, login: "alice" });
    assert.equal(body.user.email, "alice@example.com");
    // Defect 4: a GitHub sign-in never sets a password.
    assert.equal(body.user.has_password, false);
  });

  test("JSON two-step flow: oauth-login-url then oauth-login answers { user, token } and the token works as Bearer", async () => {
    const browser = stack.browser();
    const urlRes = await browser.fetch("/api/users/oauth-login-url/github");
    assert.equal(urlRes.status, 200);
    const { auth_url } = (await urlRes.json()) as { auth_url: string };
    const callback = await approve(stack, new URL(auth_url), "carol");
    const login = await browser.fetch("/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code: callback.searchParams.get("code"), state: callback.searchParams.get("state") },
    });
    assert.equal(login.status, 200);
    const { user, token } = signInParts<{ username: string; email: string }>(await login.json());
    assert.equal(user.username, "carol");
    assert.equal(user.email, "carol@example.com", "private but verified primary email is used");
    assert.doesNotMatch(token, /\./, "opaque token, not a JWT (defect 3)");
    const me = await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
  });

  test("a replayed callback (same state and code) fails cleanly and creates no second session", async () => {
    const browser = stack.browser();
    const callback = await authorizeAtGitHub(stack, browser, "alice");
    const first = await browser.fetch(callback.toString());
    assert.equal(first.status, 302);
    const sessionsBefore = (await stack.gatehouse.users.listSessions((await stack.gatehouse.users.getByUsername("alice")).id)).length;
    // The attacker (or a back button) replays the callback, with the binding cookie restored.
    const replay = await fetch(callback, { redirect: "manual", headers: { cookie: `gatehouse_oauth=${"x".repeat(43)}` } });
    assert.equal(replay.headers.get("location"), "/login?error=invalid_state");
    const again = await browser.fetch(callback.toString());
    assert.equal(again.headers.get("location"), "/login?error=invalid_state");
    const sessionsAfter = (await stack.gatehouse.users.listSessions((await stack.gatehouse.users.getByUsername("alice")).id)).length;
    assert.equal(sessionsAfter, sessionsBefore);
  });

  test("a callback opened in another browser (login CSRF) is refused and creates nothing", async () => {
    const attacker = stack.browser();
    const before = await stack.gatehouse.users.list();
    const callback = await authorizeAtGitHub(stack, attacker, "bob");
    const victim = stack.browser();
    const res = await victim.fetch(callback.toString());
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/login?error=invalid_state");
    assert.equal(victim.cookies.has("gatehouse_session"), false);
    assert.equal((await stack.gatehouse.users.list()).total, before.total);
  });

  test("a callback whose state differs from the transaction's is refused (state is checked, not just present)", async () => {
    const browser = stack.browser();
    const callback = await authorizeAtGitHub(stack, browser, "bob");
    callback.searchParams.set("state", "forged-state-value-000000000000000000000000");
    const res = await browser.fetch(callback.toString());
    assert.equal(res.headers.get("location"), "/login?error=invalid_state");
    await assert.rejects(stack.gatehouse.users.getByUsername("bob"), /no user named/);
  });

  test("iss mismatch (RFC 9207 mix-up defence) is refused and creates nothing", async () => {
    const browser = stack.browser();
    const callback = await authorizeAtGitHub(stack, browser, "bob");
    assert.equal(callback.searchParams.get("iss"), stack.gh.issuer, "the emulator sends iss");
    callback.searchParams.set("iss", "https://evil.example/login/oauth");
    const res = await browser.fetch(callback.toString());
    assert.equal(res.headers.get("location"), "/login?error=issuer_mismatch");
    await assert.rejects(stack.gatehouse.users.getByUsername("bob"), /no user named/);
  });

  test("a callback without iss (GitHub before its 2026 rollout) is accepted", async () => {
    const browser = stack.browser();
    const callback = await authorizeAtGitHub(stack, browser, "carol");
    callback.searchParams.delete("iss");
    const res = await browser.fetch(callback.toString());
    assert.equal(res.headers.get("location"), "/");
  });

  test("GitHub's error callback (access_denied) lands on /login?error=access_denied and creates nothing", async () => {
    await countAndClearTransactions(stack.gatehouse);
    const browser = stack.browser();
    const start = await browser.fetch("/auth/github");
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const res = await browser.fetch(`/auth/github/callback?error=access_denied&error_description=The+user+has+denied&state=${state}`);
    assert.equal(res.headers.get("location"), "/login?error=access_denied");
    assert.equal(browser.cookies.has("gatehouse_session"), false);
    // The transaction was consumed: the same browser cannot reuse it.
    assert.equal(await countAndClearTransactions(stack.gatehouse), 0);
  });

  test("GitHub's unverified_user_email (no verified primary email) is a clear 403 unverified_email", async () => {
    const browser = stack.browser();
    const res = await signInWithGitHub(stack, browser, "newbie");
    assert.equal(res.headers.get("location"), "/login?error=unverified_email");
    await assert.rejects(stack.gatehouse.users.getByUsername("newbie"));
  });

  test("a foreign return_to is refused before anything is stored", async () => {
    await countAndClearTransactions(stack.gatehouse);
    for (const bad of ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/\r\nLocation: https://evil.example",
      // Dot segments that collapse into a protocol-relative `//evil.example` once resolved.
      "/.//evil.example", "/..//evil.example/x", "/a/..//evil.example", "/%2e//evil.example", "/%2E%2E//evil.example"]) {
      const browser = stack.browser();
      const res = await browser.fetch(`/auth/github?return_to=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
      const body = (await res.json()) as { code: string; field: string };
      assert.equal(body.code, "invalid_input");
      assert.equal(body.field, "return_to");
      assert.equal(browser.cookies.has("gatehouse_oauth"), false);
    }
    assert.equal(await countAndClearTransactions(stack.gatehouse), 0);
  });

  test("oauth-login refuses a client-chosen redirect_uri (defect 6) and an unknown provider", async () => {
    const browser = stack.browser();
    await browser.fetch("/api/users/oauth-login-url/github");
    const res = await browser.fetch("/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code: "c", state: "s", redirect_uri: "https://evil.example/cb" },
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, "invalid_redirect_uri");
    const other = await browser.fetch("/api/users/oauth-login-url/gitlab");
    assert.equal(other.status, 404);
  });

  test("oauth-login without the browser's binding cookie is refused (state bound to the browser)", async () => {
    const attacker = stack.browser();
    const { auth_url } = (await (await attacker.fetch("/api/users/oauth-login-url/github")).json()) as { auth_url: string };
    const callback = await approve(stack, new URL(auth_url), "alice");
    const victim = stack.browser();
    const res = await victim.fetch("/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code: callback.searchParams.get("code"), state: callback.searchParams.get("state") },
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, "invalid_state");
  });

  test("a renamed GitHub account stays the same user; a new account taking the old login does not inherit it", async () => {
    const browser = stack.browser();
    await signInWithGitHub(stack, browser, "alice");
    const alice = await stack.gatehouse.users.getByUsername("alice");
    stack.gh.renameUser("alice", "alice-renamed");
    await signInWithGitHub(stack, stack.browser(), "alice-renamed");
    const same = await stack.gatehouse.users.get(alice.id);
    assert.equal(same.username, "alice", "username is not changed by a rename");
    assert.deepEqual(same.github, { id: 1001, login: "alice-renamed" }, "login re-synced");

    stack.gh.addUser({ login: "alice", id: 7777, name: "Not Alice", emails: [{ email: "impostor@example.com", primary: true, verified: true, visibility: "public" }] });
    const impostor = stack.browser();
    await signInWithGitHub(stack, impostor, "alice");
    const me = (await (await impostor.fetch("/api/users/me")).json()) as { user: { id: number; username: string; github: { id: number } } };
    assert.notEqual(me.user.id, alice.id);
    assert.equal(me.user.github.id, 7777);
    assert.equal(me.user.username, "alice-2");
  });

  // GitHub keeps 10 tokens per user, app and scopes: an 11th revokes the oldest, so some of the 20
  // sign-ins may find their token dead when they read /user. Those fail cleanly (502); every
  // success lands on the same single user.
  test("20 concurrent first sign-ins of one GitHub user make one user (GitHub keeps only 10 tokens per grant)", async () => {
    const browsers = Array.from({ length: 20 }, () => stack.browser());
    const callbacks = await Promise.all(browsers.map(async (b) => {
      const { auth_url } = (await (await b.fetch("/api/users/oauth-login-url/github")).json()) as { auth_url: string };
      return { b, auth_url };
    }));
    stack.gh.addUser({ login: "dora", id: 4242, name: "Dora", emails: [{ email: "dora@example.com", primary: true, verified: true, visibility: "public" }] });
    const approved = [];
    for (const { b, auth_url } of callbacks) approved.push({ b, cb: await approve(stack, new URL(auth_url), "dora") });
    const results = await Promise.all(approved.map(({ b, cb }) => b.fetch("/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code: cb.searchParams.get("code"), state: cb.searchParams.get("state") },
    })));
    const bodies = await Promise.all(results.map(async (r) => {
      const json = (await r.json()) as { user?: { id: number }; code?: string; id?: number; token?: string };
      // codx mode answers the flat user: its `id` is the user's.
      return { status: r.status, body: codxWire && json.token !== undefined ? { user: { id: Number(json.id) } } : json };
    }));
    const ok = bodies.filter((b) => b.status === 200);
    for (const failed of bodies.filter((b) => b.status !== 200)) assert.deepEqual(failed, { status: 502, body: { ...failed.body, code: "github_error" } });
    assert.ok(ok.length >= 10, `at least the 10 live tokens sign in (got ${ok.length})`);
    const ids = new Set(ok.map((b) => b.body.user?.id));
    assert.equal(ids.size, 1);
    const page = await stack.gatehouse.users.list({ search: "dora" });
    assert.equal(page.total, 1);
    assert.equal((await stack.gatehouse.users.listSessions([...ids][0] ?? 0)).length, ok.length, "a session per success, none for failures");
  });
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { forEachDatabase } from "../store/databases.js";
import { createGatehouse, createLogger, UsersError } from "../../src/index.js";
import { cookieSameSite, frontEndSettings } from "../../src/server/app-origins.js";
import { approve, startStack, TEST_SCRYPT } from "./harness.js";
import type { Browser, Stack } from "./harness.js";

/** A listening origin on 127.0.0.1 (a front end's, or a third party's); nothing is served. */
async function origin(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function problemOf(res: Response): Promise<{ status: number; code: string; field?: string }> {
  const body = (await res.json()) as { code: string; field?: string };
  return { status: res.status, ...body };
}

forEachDatabase("a single-page app on another origin, with its own GitHub callback route", (db) => {
  let stack: Stack;
  let app: { url: string; close: () => Promise<void> };
  let third: { url: string; close: () => Promise<void> };
  let callback: string;
  before(async () => {
    app = await origin();
    third = await origin();
    callback = `${app.url}/auth/github`;
    stack = await startStack({
      database: await db.fresh(),
      app: { callbackUrls: [callback] },
      config: { githubCallbackUrl: callback, appOrigins: [app.url] },
    });
    await stack.gatehouse.users.create({ username: "pat", password: "pat-password-1" });
  });
  after(async () => {
    await stack.close();
    await app.close();
    await third.close();
  });

  /** The front end's calls: from its origin, with the browser's cookies for the API (same site: 127.0.0.1). */
  function fromApp(browser: Browser, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    return browser.fetch(path, { ...init, headers: { origin: app.url, ...init.headers } });
  }

  async function beginAtApp(browser: Browser, redirectUri: string): Promise<URL> {
    const res = await fromApp(browser, `/api/users/oauth-login-url/github?redirect_uri=${redirectUri}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("access-control-allow-origin"), app.url);
    const { auth_url } = (await res.json()) as { auth_url: string };
    assert.equal(new URL(auth_url).searchParams.get("redirect_uri"), callback, "GitHub is asked to return to the front end");
    return new URL(auth_url);
  }

  test("GitHub returns to the front end's route with code and state; its JSON post completes the sign-in with a cookie session", async () => {
    const browser = stack.browser();
    const returned = await approve(stack, await beginAtApp(browser, encodeURIComponent(callback)), "alice");
    assert.equal(`${returned.origin}${returned.pathname}`, callback);
    const code = returned.searchParams.get("code");
    const state = returned.searchParams.get("state");
    assert.ok(code && state);
    // The seed front end urlencodes redirect_uri a second time inside its JSON.
    const login = await fromApp(browser, "/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code, state, redirect_uri: encodeURIComponent(encodeURIComponent(callback)) },
    });
    assert.equal(login.status, 200, await login.clone().text());
    assert.equal(login.headers.get("access-control-allow-origin"), app.url);
    assert.equal(login.headers.get("access-control-allow-credentials"), "true");
    const body = (await login.json()) as { user: { username: string } };
    assert.equal(body.user.username, "alice");
    const session = login.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session=")) ?? "";
    assert.match(session, /SameSite=Lax/i, "127.0.0.1 on another port is the same site: Lax reaches the API");
    const me = await fromApp(browser, "/api/users/me");
    assert.equal(me.status, 200);
    assert.equal(me.headers.get("access-control-allow-origin"), app.url);
    assert.equal(((await me.json()) as { user: { username: string } }).user.username, "alice");
  });

  test("a redirect_uri encoded once is accepted; a different one is refused naming the field, in the query and in the body", async () => {
    const browser = stack.browser();
    await beginAtApp(browser, encodeURIComponent(encodeURIComponent(callback)));
    const other = await fromApp(browser, `/api/users/oauth-login-url/github?redirect_uri=${encodeURIComponent(`${third.url}/auth/github`)}`);
    const refused = await problemOf(other);
    assert.deepEqual([refused.status, refused.code, refused.field], [400, "invalid_redirect_uri", "redirect_uri"]);
    const returned = await approve(stack, await beginAtApp(browser, encodeURIComponent(callback)), "alice");
    for (const bad of [`${callback}/`, `${stack.url}/auth/github/callback`, encodeURIComponent(encodeURIComponent(encodeURIComponent(callback)))]) {
      const res = await fromApp(browser, "/api/users/oauth-login", {
        method: "POST", json: { oauth_provider: "github", code: returned.searchParams.get("code"), state: returned.searchParams.get("state"), redirect_uri: bad },
      });
      const p = await problemOf(res);
      assert.equal(p.status, 400, bad);
      assert.equal(p.code, "invalid_redirect_uri");
      assert.equal(p.field, "redirect_uri");
    }
    const ok = await fromApp(browser, "/api/users/oauth-login", {
      method: "POST", json: { oauth_provider: "github", code: returned.searchParams.get("code"), state: returned.searchParams.get("state"), redirect_uri: encodeURIComponent(callback) },
    });
    assert.equal(ok.status, 200, "a refused redirect_uri consumed nothing");
  });

  test("a replayed state is refused, even with the binding cookie put back", async () => {
    const browser = stack.browser();
    const returned = await approve(stack, await beginAtApp(browser, encodeURIComponent(callback)), "alice");
    const binding = browser.cookies.header() ?? "";
    const json = { oauth_provider: "github", code: returned.searchParams.get("code"), state: returned.searchParams.get("state") };
    const first = await fromApp(browser, "/api/users/oauth-login", { method: "POST", json });
    assert.equal(first.status, 200);
    const replay = await fromApp(stack.browser(), "/api/users/oauth-login", { method: "POST", json, headers: { cookie: binding } });
    const p = await problemOf(replay);
    assert.equal(p.status, 400);
    assert.equal(p.code, "invalid_state");
  });

  test("preflight from the listed origin is answered with credentials, methods and headers", async () => {
    const res = await fetch(`${stack.url}/api/users/login`, {
      method: "OPTIONS",
      headers: { origin: app.url, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), app.url);
    assert.equal(res.headers.get("access-control-allow-credentials"), "true");
    assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.match(res.headers.get("access-control-allow-methods") ?? "", /DELETE/);
    assert.deepEqual((res.headers.get("access-control-allow-headers") ?? "").split(",").sort(), ["authorization", "content-type"]);
    assert.match(res.headers.get("vary") ?? "", /Origin/i);
  });

  test("the listed origin signs in with a password and posts with its cookie; a third origin gets no CORS header and a 403", async () => {
    const browser = stack.browser();
    const login = await fromApp(browser, "/api/users/login", { method: "POST", json: { username: "pat", password: "pat-password-1" } });
    assert.equal(login.status, 200);
    assert.equal(login.headers.get("access-control-allow-origin"), app.url);
    const me = await fromApp(browser, "/api/users/me");
    assert.equal(((await me.json()) as { user: { username: string } }).user.username, "pat");

    const preflight = await fetch(`${stack.url}/api/users/login`, {
      method: "OPTIONS", headers: { origin: third.url, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
    assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
    const read = await browser.fetch("/api/users/me", { headers: { origin: third.url } });
    assert.equal(read.headers.get("access-control-allow-origin"), null, "the third origin's browser withholds the answer");
    assert.equal(read.headers.get("access-control-allow-credentials"), null);
    assert.match(read.headers.get("vary") ?? "", /Origin/i);
    const forged = await browser.fetch("/api/users/logout", { method: "POST", headers: { origin: third.url } });
    assert.equal((await problemOf(forged)).code, "origin_mismatch");
    assert.equal(forged.status, 403);

    const logout = await fromApp(browser, "/api/users/logout", { method: "POST" });
    assert.ok(logout.status < 300, `the listed origin passes the Origin check (${logout.status})`);
  });
});

test("SameSite: Lax for same-site front ends and plain http, None; Secure for a cross-site front end over https", async () => {
  assert.equal(cookieSameSite(new URL("https://auth.example.com"), ["https://app.example.com"]), "Lax");
  assert.equal(cookieSameSite(new URL("https://auth.example.com"), []), "Lax");
  assert.equal(cookieSameSite(new URL("http://127.0.0.1:3000"), ["http://127.0.0.1:5173"]), "Lax");
  assert.equal(cookieSameSite(new URL("https://auth.example.com"), ["https://app.other.net"]), "None");
  assert.equal(cookieSameSite(new URL("https://auth.example.com"), ["http://app.example.com"]), "None", "schemes differ: another site");
  assert.equal(cookieSameSite(new URL("http://auth.example.com"), ["http://app.other.net"]), "Lax", "None needs Secure, impossible over http");

  const publicUrl = "https://auth.example.test";
  const gatehouse = await createGatehouse({
    publicUrl, database: "sqlite::memory:", secret: randomBytes(32), passwordParams: TEST_SCRYPT, appOrigins: ["https://app.other.test"],
    github: { clientId: "Ov23liCrossSite", clientSecret: "unused", webUrl: "http://127.0.0.1:9", apiUrl: "http://127.0.0.1:9" },
    logger: createLogger({ level: "silent" }),
  });
  try {
    await gatehouse.users.create({ username: "pat", password: "pat-password-1" });
    const res = await gatehouse.fetch(new Request(`${publicUrl}/api/users/login`, {
      method: "POST", headers: { "content-type": "application/json", origin: "https://app.other.test" }, body: JSON.stringify({ username: "pat", password: "pat-password-1" }),
    }), { clientAddress: "192.0.2.1" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), "https://app.other.test");
    const session = res.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session=")) ?? "";
    assert.match(session, /SameSite=None/i);
    assert.match(session, /Secure/);
    assert.match(session, /HttpOnly/);
  } finally {
    await gatehouse.close();
  }
});

test("a GitHub callback on an origin that is neither the public one nor a listed front end is refused at start", () => {
  assert.throws(() => frontEndSettings(new URL("https://auth.example.com"), ["https://app.example.com"], "https://evil.example/auth/github"),
    (e: unknown) => e instanceof UsersError && e.field === "githubCallbackUrl");
  assert.throws(() => frontEndSettings(new URL("https://auth.example.com"), ["https://app.example.com/path"], undefined),
    (e: unknown) => e instanceof UsersError && e.field === "appOrigins");
  assert.deepEqual(frontEndSettings(new URL("https://auth.example.com"), ["https://app.example.com"], "https://app.example.com/auth/github"),
    { appOrigins: ["https://app.example.com"], callbackUrl: "https://app.example.com/auth/github" });
});

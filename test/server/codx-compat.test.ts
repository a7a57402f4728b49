import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { forEachDatabase } from "../store/databases.js";
import { Browser as GitHubBrowser, forms } from "../emulator/browser.js";
import { startStack } from "./harness.js";
import type { Browser, Stack } from "./harness.js";

type Json = Record<string, unknown>;

/** A listening origin on 127.0.0.1 for the front end; nothing is served. */
async function origin(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const CODX_PATH = "/home/me/projects/app";

forEachDatabase("GATEHOUSE_COMPAT=codx: codx-junior's front end, call by call", (db) => {
  let stack: Stack;
  let app: { url: string; close: () => Promise<void> };
  let callback: string;
  before(async () => {
    app = await origin();
    callback = `${app.url}/auth/github`;
    stack = await startStack({
      database: await db.fresh(),
      app: { callbackUrls: [callback] },
      config: {
        githubCallbackUrl: callback,
        appOrigins: [app.url],
        compat: "codx",
        userFields: [
          { name: "projects", type: "string[]", default: [], setBy: "self" },
          { name: "apps", type: "string[]", default: [], setBy: "self" },
          { name: "plan", type: "string", default: "free", setBy: "admin" },
        ],
      },
    });
    await stack.gatehouse.users.create({ username: "pat", password: "pat-password-1" });
    await stack.gatehouse.users.create({ username: "root", role: "admin", password: "root-password-1" });
  });
  after(async () => {
    await stack.close();
    await app.close();
  });

  /** connection.js: `?codx_path=…` on every URL, `Authentication: Bearer <stored token>` on every call, from the app's origin. */
  function codx(browser: Browser, user: Json | null, url: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
    const [path, params] = url.split("?");
    const query = `codx_path=${encodeURIComponent(CODX_PATH)}`;
    const full = `${path}?${params ? `${params}&${query}` : query}`;
    return browser.fetch(full, {
      ...init,
      headers: { origin: app.url, "x-sid": "", Authentication: `Bearer ${String(user?.["token"])}` },
    });
  }

  /** What the front end reads off its stored user. */
  function checkStoredUser(user: Json, username: string): void {
    assert.equal(typeof user["token"], "string");
    assert.ok((user["token"] as string).length > 20);
    assert.equal(user["username"], username);
    assert.ok("email" in user && "avatar" in user);
    assert.equal(user["role"], "user");
    assert.ok(["dim", "light", "dark"].includes(String(user["theme"])), "codx's theme names: dim (its default), light, dark");
    assert.ok(Array.isArray(user["projects"]), "projects is an array");
    assert.ok(Array.isArray(user["apps"]), "apps is an array");
    assert.equal("user" in user, false, "a flat user, not { user, token }");
  }

  /** GitHub's pages at the emulator: the account picker, then the consent page; returns where GitHub sends the browser. */
  async function atGitHub(authUrl: string, login: string): Promise<URL> {
    const gh = new GitHubBrowser(stack.gh.url);
    const picker = await gh.go(authUrl);
    let page = await gh.click(picker.html, login);
    if (page.location === null) {
      const authorize = forms(page.html).flatMap((f) => [...f.buttons.keys()]).find((k) => k.startsWith("Authorize"));
      assert.ok(authorize, "the consent page has an Authorize button");
      page = await gh.click(page.html, authorize);
    }
    assert.ok(page.location, "GitHub sent the browser back");
    return page.location;
  }

  async function signInWithGitHubAsCodx(browser: Browser, login: string): Promise<Json> {
    // api.oauth.getOAuthLoginUrl("github")
    const redirect_uri = encodeURIComponent(`${app.url}/auth/github`);
    const urlRes = await codx(browser, null, `/api/users/oauth-login-url/github?redirect_uri=${redirect_uri}`);
    assert.equal(urlRes.status, 200, await urlRes.clone().text());
    const { auth_url } = (await urlRes.json()) as { auth_url: string };
    const back = await atGitHub(auth_url, login);
    assert.equal(`${back.origin}${back.pathname}`, callback);
    // The router's /auth/:provider route → api.oauth.oauthLogin({ oauth_provider, code, state })
    const res = await codx(browser, null, "/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code: back.searchParams.get("code"), state: back.searchParams.get("state"), redirect_uri },
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("access-control-allow-origin"), app.url);
    return (await res.json()) as Json;
  }

  test("GitHub sign-in through the picker and consent page, restore on reload, users list, settings save", async () => {
    const browser = stack.browser();
    const user = await signInWithGitHubAsCodx(browser, "alice");
    checkStoredUser(user, "alice");
    assert.deepEqual(user["projects"], []);
    assert.deepEqual(user["apps"], []);
    assert.equal(user["plan"], "free");

    // onUserLogin → api.users.list(): every signed-in user gets {username, avatar} of everyone.
    const list = await codx(browser, user, "/api/users");
    assert.equal(list.status, 200, await list.clone().text());
    const people = (await list.json()) as Json[];
    assert.ok(Array.isArray(people));
    assert.ok(people.some((p) => p["username"] === "pat"));
    for (const p of people) assert.deepEqual(Object.keys(p).sort(), ["avatar", "username"]);

    // A page load: api.users.login() posts the stored user (token, no password).
    const fresh = stack.browser(); // a reload may have no cookie (cross-site over http): the token alone restores
    const restored = await codx(fresh, user, "/api/users/login", { method: "POST", json: user });
    assert.equal(restored.status, 200, await restored.clone().text());
    const again = (await restored.json()) as Json;
    checkStoredUser(again, "alice");
    assert.equal(again["token"], user["token"], "the same session, not a new one");
    assert.equal(restored.headers.getSetCookie().length, 0, "restore makes no session cookie");

    // AccountSettings: the whole stored user, edited, to PUT /api/users.
    const edited = { ...again, email: "alice@codx.test", theme: "dark", projects: ["p1", "p2"], apps: ["a1"] };
    const saved = await codx(fresh, again, "/api/users", { method: "PUT", json: edited });
    assert.equal(saved.status, 200, await saved.clone().text());
    const stored = (await saved.json()) as Json;
    checkStoredUser(stored, "alice");
    assert.equal(stored["token"], user["token"]);
    assert.equal(stored["email"], "alice@codx.test");
    assert.equal(stored["theme"], "dark");
    assert.deepEqual(stored["projects"], ["p1", "p2"]);
    assert.deepEqual(stored["apps"], ["a1"]);
    assert.equal((await stack.gatehouse.users.getByUsername("alice")).theme, "dark");
    // codx's default theme (dim) is Gatehouse's system; a daisyUI theme outside the closed set is refused, naming it.
    assert.equal(again["theme"], "dim");
    const backToDefault = (await (await codx(fresh, stored, "/api/users", { method: "PUT", json: { ...stored, theme: "dim" } })).json()) as Json;
    assert.equal(backToDefault["theme"], "dim");
    assert.equal((await stack.gatehouse.users.getByUsername("alice")).theme, "system");
    const cupcake = await codx(fresh, stored, "/api/users", { method: "PUT", json: { ...backToDefault, theme: "cupcake" } });
    assert.equal(cupcake.status, 400);
    assert.equal(((await cupcake.json()) as Json)["field"], "theme");
    // And in the database: the next restore reads them back.
    const reread = (await (await codx(fresh, stored, "/api/users/login", { method: "POST", json: stored })).json()) as Json;
    assert.deepEqual(reread["projects"], ["p1", "p2"]);
  });

  test("password sign-in answers the flat user with its token", async () => {
    const browser = stack.browser();
    const res = await codx(browser, null, "/api/users/login", { method: "POST", json: { username: "pat", password: "pat-password-1" } });
    assert.equal(res.status, 200, await res.clone().text());
    checkStoredUser((await res.json()) as Json, "pat");
    const wrong = await codx(stack.browser(), null, "/api/users/login", { method: "POST", json: { username: "pat", password: "wrong-password" } });
    assert.equal(wrong.status, 401);
  });

  test("security holds: no session from a dead token, no role or username change, no admin field, no Authentication cookie path", async () => {
    const browser = stack.browser();
    const user = (await (await codx(browser, null, "/api/users/login", { method: "POST", json: { username: "pat", password: "pat-password-1" } })).json()) as Json;

    // A made-up or ended token restores nothing and creates no session.
    const bogus = await codx(stack.browser(), null, "/api/users/login", { method: "POST", json: { ...user, token: "x".repeat(43) } });
    assert.equal(bogus.status, 401);
    assert.equal(bogus.headers.getSetCookie().length, 0);

    for (const [key, value] of [["role", "admin"], ["username", "someone"], ["disabled", true], ["token", "y".repeat(43)]] as const) {
      const res = await codx(stack.browser(), user, "/api/users", { method: "PUT", json: { ...user, [key]: value } });
      assert.equal(res.status, 400, `${key}: ${await res.clone().text()}`);
      assert.equal(((await res.json()) as Json)["field"], key);
    }
    const adminField = await codx(stack.browser(), user, "/api/users", { method: "PUT", json: { ...user, plan: "enterprise" } });
    assert.equal(adminField.status, 403);
    assert.equal(((await adminField.json()) as Json)["field"], "fields.plan");
    const after = (await (await codx(stack.browser(), user, "/api/users/login", { method: "POST", json: user })).json()) as Json;
    assert.equal(after["role"], "user");
    assert.equal(after["plan"], "free");

    // Without a live token, the list and the save are refused.
    assert.equal((await codx(stack.browser(), null, "/api/users")).status, 401);
    assert.equal((await codx(stack.browser(), null, "/api/users", { method: "PUT", json: { email: "x@y.z" } })).status, 401);

    // Signed out: the stored token no longer restores.
    assert.equal((await codx(stack.browser(), user, "/api/users/logout", { method: "POST" })).status, 204);
    assert.equal((await codx(stack.browser(), null, "/api/users/login", { method: "POST", json: user })).status, 401);
  });

  test("an admin's list keeps the full users; oauth-login without the binding cookie or with a wrong state is refused", async () => {
    const admin = stack.browser();
    const root = (await (await codx(admin, null, "/api/users/login", { method: "POST", json: { username: "root", password: "root-password-1" } })).json()) as Json;
    const list = (await (await codx(admin, root, "/api/users")).json()) as Json[];
    assert.ok(list.some((u) => u["username"] === "pat" && "role" in u && "projects" in u));

    const browser = stack.browser();
    const redirect_uri = encodeURIComponent(callback);
    const { auth_url } = (await (await codx(browser, null, `/api/users/oauth-login-url/github?redirect_uri=${redirect_uri}`)).json()) as { auth_url: string };
    const back = await atGitHub(auth_url, "alice");
    const json = { oauth_provider: "github", code: back.searchParams.get("code"), state: back.searchParams.get("state"), redirect_uri };
    const otherBrowser = await codx(stack.browser(), null, "/api/users/oauth-login", { method: "POST", json });
    assert.equal(otherBrowser.status, 400);
    const badState = await codx(browser, null, "/api/users/oauth-login", { method: "POST", json: { ...json, state: "wrong" } });
    assert.equal(badState.status, 400);
  });

  test("a preflight from the front end allows its Authentication header", async () => {
    const res = await fetch(`${stack.url}/api/users/login?codx_path=x`, {
      method: "OPTIONS",
      headers: { origin: app.url, "access-control-request-method": "POST", "access-control-request-headers": "authentication,content-type,x-sid" },
    });
    assert.ok(res.status === 204 || res.status === 200);
    assert.match(res.headers.get("access-control-allow-headers") ?? "", /authentication/i);
  });
});

test("GATEHOUSE_COMPAT accepts codx only, naming the variable", async () => {
  const { loadConfig } = await import("../../src/config.js");
  assert.equal(loadConfig({ GATEHOUSE_COMPAT: "codx" }).compat, "codx");
  assert.equal(loadConfig({}).compat, undefined);
  assert.throws(() => loadConfig({ GATEHOUSE_COMPAT: "codex" }), /GATEHOUSE_COMPAT: must be "codx"/);
});

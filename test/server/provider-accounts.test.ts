/**
 * Generic providers' accounts over HTTP: sign-in (browser and two-step JSON flows), the signup
 * rule, identities never matched by email, linking (a provider and GitHub) and unlinking, and
 * where identities are shown. The provider is test/support/stub-provider.ts, a real HTTP server.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { approve, signedInUser, startStack } from "./harness.js";
import type { Browser, Stack } from "./harness.js";
import { startStubProvider } from "../support/stub-provider.js";
import type { StubProviderServer, StubUser } from "../support/stub-provider.js";
import { passwordUser as signInWithPassword, postAccountForm } from "./account-helpers.js";

interface IdentityJson { provider: string; subject: string; username: string | null; email: string | null; linked_at: string | null }
interface UserJson { id: number; username: string; email: string | null; has_password: boolean; github: { id: number } | null; identities?: IdentityJson[] }

forEachDatabase("generic providers: accounts, linking, unlinking", (db) => {
  let stack: Stack;
  let idp: StubProviderServer;
  before(async () => {
    idp = await startStubProvider();
    stack = await startStack({
      database: await db.fresh(),
      config: { providers: [idp.provider("corp", { displayName: "Corp SSO" }), idp.provider("other"), idp.provider("closed", { signup: "invite" })] },
    });
  });
  after(async () => {
    await stack.close();
    await idp.close();
  });

  /** `/auth/{name}` → the stub's /authorize → the callback URL it sends the browser to (not followed). */
  async function authorize(browser: Browser, name: string, user: StubUser | null, start = `/auth/${name}`): Promise<URL> {
    const res = await browser.fetch(start);
    assert.equal(res.status, 302, await res.clone().text());
    idp.signInAs(user);
    const back = await fetch(res.headers.get("location") ?? "", { redirect: "manual" });
    return new URL(back.headers.get("location") ?? "");
  }

  async function signIn(browser: Browser, name: string, user: StubUser | null): Promise<Response> {
    return browser.fetch((await authorize(browser, name, user)).toString());
  }

  const me = (browser: Browser) => signedInUser<UserJson>(browser);

  const passwordUser = (username: string) => signInWithPassword(stack, username);
  const postForm = postAccountForm;

  /** The account page's Link form for `name`, the provider as `user`, and the callback in this browser. */
  async function linkWith(browser: Browser, name: string, user: StubUser): Promise<Response> {
    const start = await postForm(browser, `/account/link/${name}`);
    assert.equal(start.status, 303);
    idp.signInAs(user);
    const back = new URL((await fetch(start.headers.get("location") ?? "", { redirect: "manual" })).headers.get("location") ?? "");
    return browser.fetch(back.toString());
  }

  const userCount = async () => (await stack.gatehouse.users.list({ limit: 1 })).total;

  test("browser flow: a new identity makes an account; its second sign-in is the same user; the session names the provider", async () => {
    const browser = stack.browser();
    const callback = await authorize(browser, "corp", { subject: "s-100", username: "Jane.Doe", name: "Jane", email: "jane@corp.example" }, "/auth/corp?return_to=/account%3Fx%3D1");
    assert.equal(callback.pathname, "/auth/corp/callback");
    assert.equal(callback.origin, stack.url);
    const done = await browser.fetch(callback.toString());
    assert.equal(done.status, 302);
    assert.equal(done.headers.get("location"), "/account?x=1");
    assert.equal(browser.cookies.has("gatehouse_oauth"), false, "binding cookie cleared");
    const first = await me(browser);
    assert.equal(first.username, "jane.doe");
    assert.equal(first.email, "jane@corp.example");
    assert.deepEqual(first.identities?.map((i) => [i.provider, i.subject, i.username]), [["corp", "s-100", "Jane.Doe"]]);
    const sessions = (await (await browser.fetch("/api/users/me/sessions")).json()) as { sessions: { method: string; current: boolean }[] };
    assert.equal(sessions.sessions.find((s) => s.current)?.method, "oauth:corp");

    const again = stack.browser();
    assert.equal((await signIn(again, "corp", { subject: "s-100", username: "renamed" })).status, 302);
    const second = await me(again);
    assert.equal(second.id, first.id, "same (provider, subject): same user, whatever the username says");
    assert.equal(second.identities?.[0]?.username, "renamed", "the display handle follows the provider");
  });

  test("two-step JSON flow: oauth-login-url, then POST /api/users/oauth-login with oauth_provider", async () => {
    const browser = stack.browser();
    const url = await browser.fetch("/api/users/oauth-login-url/corp");
    assert.equal(url.status, 200);
    const { auth_url } = (await url.json()) as { auth_url: string };
    assert.equal(new URL(auth_url).origin, idp.url);
    idp.signInAs({ subject: "s-json", username: "jason" });
    const back = new URL((await fetch(auth_url, { redirect: "manual" })).headers.get("location") ?? "");
    const res = await browser.fetch("/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "corp", code: back.searchParams.get("code"), state: back.searchParams.get("state"), iss: back.searchParams.get("iss") },
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { user: UserJson; token: string };
    assert.equal(body.user.username, "jason");
    const viaToken = await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${body.token}` } });
    assert.equal(((await viaToken.json()) as { user: UserJson }).user.id, body.user.id);
  });

  test("an unknown provider is refused naming it, in both steps", async () => {
    const url = await stack.browser().fetch("/api/users/oauth-login-url/nope");
    assert.equal(url.status, 404);
    assert.equal(((await url.json()) as { code: string }).code, "unknown_provider");
    const login = await stack.browser().fetch("/api/users/oauth-login", { method: "POST", json: { oauth_provider: "nope", code: "c", state: "s" } });
    assert.equal(login.status, 404);
    assert.deepEqual(((await login.json()) as { code: string; field: string }).field, "oauth_provider");
    assert.equal((await stack.browser().fetch("/auth/nope")).status, 404, "no route for a provider not configured");
  });

  test("a replayed callback (same state and code) fails invalid_state and makes no second session", async () => {
    const browser = stack.browser();
    const callback = await authorize(browser, "corp", { subject: "s-replay" });
    const binding = browser.cookies.get("gatehouse_oauth") ?? "";
    assert.equal((await browser.fetch(callback.toString())).status, 302);
    const user = await me(browser);
    const before = (await stack.gatehouse.users.listSessions(user.id)).length;
    const replay = await fetch(callback, { redirect: "manual", headers: { cookie: `gatehouse_oauth=${binding}` } });
    assert.equal(replay.headers.get("location"), "/login?error=invalid_state&provider=corp");
    assert.equal((await stack.gatehouse.users.listSessions(user.id)).length, before);
  });

  test("cancelled at the provider: /login?error=access_denied names the provider, nothing is created", async () => {
    const users = await userCount();
    const res = await signIn(stack.browser(), "corp", null);
    assert.equal(res.headers.get("location"), "/login?error=access_denied&provider=corp");
    assert.equal(await userCount(), users);
    const page = await stack.browser().fetch("/login?error=access_denied&provider=corp", { headers: { accept: "text/html" } });
    assert.match(await page.text(), /You cancelled the sign-in at Corp SSO/);
  });

  test("a provider failing (5xx at its token endpoint, an ID token's nonce not this sign-in's) leaves nothing made", async () => {
    const users = await userCount();
    try {
      idp.fault("token_500");
      assert.equal((await signIn(stack.browser(), "corp", { subject: "s-fault" })).headers.get("location"), "/login?error=provider_unavailable&provider=corp");
      idp.fault("wrong_nonce");
      assert.equal((await signIn(stack.browser(), "corp", { subject: "s-fault" })).headers.get("location"), "/login?error=invalid_id_token&provider=corp");
      // The JSON flow answers the same codes with their statuses.
      const browser = stack.browser();
      const { auth_url } = (await (await browser.fetch("/api/users/oauth-login-url/corp")).json()) as { auth_url: string };
      const back = new URL((await fetch(auth_url, { redirect: "manual" })).headers.get("location") ?? "");
      const res = await browser.fetch("/api/users/oauth-login", { method: "POST", json: { oauth_provider: "corp", code: back.searchParams.get("code"), state: back.searchParams.get("state") } });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { code: string }).code, "invalid_id_token");
    } finally {
      idp.fault(null);
    }
    assert.equal(await userCount(), users);
  });

  // The transaction records its provider, and the verifier is sealed under a context naming it: either refuses.
  test("a transaction completes only with the provider it was started for", async () => {
    const browser = stack.browser();
    const callback = await authorize(browser, "corp", { subject: "s-cross" });
    const other = new URL(callback);
    other.pathname = "/auth/other/callback";
    const res = await browser.fetch(other.toString());
    assert.equal(res.headers.get("location"), "/login?error=invalid_state&provider=other");
    // Consumed by that attempt: the right callback now fails too, and nobody was created.
    const users = await userCount();
    assert.equal((await browser.fetch(callback.toString())).headers.get("location"), "/login?error=invalid_state&provider=corp");
    assert.equal(await userCount(), users);
  });

  test("signup by invitation: a new identity is refused (not_invited) and nothing is created", async () => {
    const users = await userCount();
    const res = await signIn(stack.browser(), "closed", { subject: "s-stranger", email: "stranger@example.com" });
    assert.equal(res.headers.get("location"), "/login?error=not_invited&provider=closed");
    assert.equal(await userCount(), users);
    const page = await stack.browser().fetch("/login?error=not_invited&provider=closed", { headers: { accept: "text/html" } });
    assert.match(await page.text(), /Your Stub closed account has not been invited/);
  });

  test("the same verified email at two providers makes two accounts (never linked by email)", async () => {
    const a = stack.browser();
    await signIn(a, "corp", { subject: "s-twin", username: "twin", email: "twin@example.com" });
    const b = stack.browser();
    await signIn(b, "other", { subject: "s-twin", username: "twin", email: "twin@example.com" });
    const [ua, ub] = [await me(a), await me(b)];
    assert.notEqual(ua.id, ub.id);
    assert.equal(ua.email, ub.email);
    assert.equal(ub.username, "twin-2", "the handle made free");
  });

  test("link a provider from the account page, then sign in with it as the same user", async () => {
    const browser = await passwordUser("linker");
    const start = await postForm(browser, "/account/link/corp");
    assert.equal(start.status, 303);
    assert.equal(new URL(start.headers.get("location") ?? "").origin, idp.url);
    idp.signInAs({ subject: "s-link", username: "linker-at-corp", email: "linker@corp.example" });
    const back = new URL((await fetch(start.headers.get("location") ?? "", { redirect: "manual" })).headers.get("location") ?? "");
    const done = await browser.fetch(back.toString());
    assert.equal(done.headers.get("location"), "/account?saved=linked");
    const linked = await me(browser);
    assert.equal(linked.username, "linker", "the session stayed the same user");
    assert.deepEqual(linked.identities?.map((i) => i.provider), ["corp"]);
    const page = await (await browser.fetch("/account?saved=linked", { headers: { accept: "text/html" } })).text();
    assert.match(page, /was linked/);
    assert.match(page, /Linked as linker-at-corp/);

    const later = stack.browser();
    await signIn(later, "corp", { subject: "s-link" });
    assert.equal((await me(later)).id, linked.id);
  });

  test("a link refused when the identity belongs to another account: identity_taken, nothing changed", async () => {
    const owner = stack.browser();
    await signIn(owner, "corp", { subject: "s-owned", username: "owner" });
    const browser = await passwordUser("thief");
    const done = await linkWith(browser, "corp", { subject: "s-owned" });
    assert.equal(done.headers.get("location"), "/account?error=identity_taken&provider=corp");
    assert.deepEqual((await me(browser)).identities, []);
    assert.deepEqual((await me(owner)).identities?.map((i) => i.subject), ["s-owned"]);
    const page = await (await browser.fetch("/account?error=identity_taken", { headers: { accept: "text/html" } })).text();
    assert.match(page, /already linked to another account/);
  });

  test("link GitHub to a password-only account (the emulator), then sign in with GitHub as that user", async () => {
    const browser = await passwordUser("pw-only");
    const start = await postForm(browser, "/account/link/github");
    assert.equal(start.status, 303);
    const callback = await approve(stack, new URL(start.headers.get("location") ?? ""), "carol");
    const done = await browser.fetch(callback.toString());
    assert.equal(done.headers.get("location"), "/account?saved=linked");
    const linked = await me(browser);
    assert.equal(linked.github?.id, 1003);
    assert.deepEqual(linked.identities?.map((i) => [i.provider, i.subject]), [["github", "1003"]]);
    const token = await stack.gatehouse.users.getGitHubToken(linked.id);
    assert.ok(token.length > 0, "the GitHub tokens are stored for the linked account");

    const later = stack.browser();
    const res = await later.fetch("/auth/github");
    const cb = await approve(stack, new URL(res.headers.get("location") ?? ""), "carol");
    await later.fetch(cb.toString());
    assert.equal((await me(later)).id, linked.id);

    // Another account cannot take carol's GitHub now.
    const other = await passwordUser("pw-other");
    const again = await postForm(other, "/account/link/github");
    const cb2 = await approve(stack, new URL(again.headers.get("location") ?? ""), "carol");
    assert.equal((await other.fetch(cb2.toString())).headers.get("location"), "/account?error=identity_taken");
    assert.equal((await me(other)).github, null);
  });

  test("a link completed in a browser now signed in as somebody else fails invalid_state and links nothing", async () => {
    const browser = await passwordUser("starter");
    const start = await postForm(browser, "/account/link/corp");
    // The same browser signs in as another account before the provider sends it back.
    await stack.gatehouse.users.create({ username: "intruder", password: "correct horse battery" });
    await browser.fetch("/api/users/login", { method: "POST", json: { username: "intruder", password: "correct horse battery" } });
    idp.signInAs({ subject: "s-hijack" });
    const back = new URL((await fetch(start.headers.get("location") ?? "", { redirect: "manual" })).headers.get("location") ?? "");
    const done = await browser.fetch(back.toString());
    assert.equal(done.headers.get("location"), "/login?error=invalid_state&provider=corp");
    assert.deepEqual((await me(browser)).identities, []);
    const starter = await stack.gatehouse.users.getByUsername("starter");
    assert.deepEqual(await stack.gatehouse.users.listIdentities(starter.id), []);
  });

  test("a link cannot be started by GET, nor without the page's CSRF token", async () => {
    const browser = await passwordUser("getter");
    assert.equal((await browser.fetch("/account/link/corp")).status, 404);
    const forged = await browser.fetch("/account/link/corp", {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" }, body: "csrf_token=forged",
    });
    assert.equal(forged.status, 403);
  });

  test("unlink from the page and over JSON; the last way to sign in is refused (409) and shown disabled", async () => {
    const browser = await passwordUser("unlinker");
    await linkWith(browser, "corp", { subject: "s-unlink" });
    assert.equal((await me(browser)).identities?.length, 1);
    const done = await postForm(browser, "/account/unlink/corp");
    assert.equal(done.headers.get("location"), "/account?saved=unlinked");
    assert.deepEqual((await me(browser)).identities, []);

    // An account made by a provider has nothing else: its one identity stays.
    const only = stack.browser();
    await signIn(only, "other", { subject: "s-only" });
    const refused = await only.fetch("/api/users/me/identities/other", { method: "DELETE" });
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as { code: string }).code, "last_sign_in_method");
    assert.equal((await me(only)).identities?.length, 1);
    const page = await (await only.fetch("/account", { headers: { accept: "text/html" } })).text();
    assert.match(page, /<button type="button" disabled aria-describedby="method-other-why">Unlink/);
    assert.match(page, /only way to sign in/);
    const viaForm = await postForm(only, "/account/unlink/other");
    assert.equal(viaForm.status, 409);

    // With a second provider linked, the first can go (over JSON).
    await linkWith(only, "corp", { subject: "s-only-2" });
    assert.equal((await only.fetch("/api/users/me/identities/other", { method: "DELETE" })).status, 204);
    assert.deepEqual((await me(only)).identities?.map((i) => i.provider), ["corp"]);
  });

  test("unlink GitHub: its id, login and stored tokens go; refused while it is the only way in", async () => {
    const gh = stack.browser();
    const res = await gh.fetch("/auth/github");
    await gh.fetch((await approve(stack, new URL(res.headers.get("location") ?? ""), "alice")).toString());
    const alice = await me(gh);
    const refused = await gh.fetch("/api/users/me/identities/github", { method: "DELETE" });
    assert.equal(refused.status, 409);
    await linkWith(gh, "other", { subject: "s-alice" });
    assert.equal((await gh.fetch("/api/users/me/identities/github", { method: "DELETE" })).status, 204);
    const after = await me(gh);
    assert.equal(after.github, null);
    assert.equal(await stack.gatehouse.store.githubTokens.find(alice.id), undefined, "the stored GitHub tokens are deleted");
    assert.deepEqual(after.identities?.map((i) => i.provider), ["other"]);
  });

  test("identities in GET /api/users (admin, one page) and on the admin pages; buttons on the login page", async () => {
    const admin = await passwordUser("boss");
    await stack.gatehouse.users.update("boss", { role: "admin" });
    const someone = stack.browser();
    await signIn(someone, "corp", { subject: "s-listed", username: "listed" });
    const list = await admin.fetch("/api/users?search=listed");
    const body = (await list.json()) as { users: UserJson[] };
    assert.deepEqual(body.users.map((u) => u.identities?.map((i) => [i.provider, i.subject])), [[["corp", "s-listed"]]]);
    const page = await (await admin.fetch("/admin/users?q=listed", { headers: { accept: "text/html" } })).text();
    assert.match(page, /<td data-label="Sign-in">Corp SSO<\/td>/);
    const view = await (await admin.fetch("/admin/users/listed/disable", { headers: { accept: "text/html" } })).text();
    assert.match(view, /Signs in with: Corp SSO/);
    const login = await (await stack.browser().fetch("/login?return_to=/x", { headers: { accept: "text/html" } })).text();
    const github = login.indexOf("Sign in with GitHub");
    const corp = login.indexOf(`href="/auth/corp?return_to=%2Fx">Sign in with Corp SSO`);
    assert.ok(github >= 0 && corp > github, "GitHub first, then each provider, with return_to kept");
  });
});

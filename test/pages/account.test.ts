/** `/account` over HTTP: profile, password, sessions with revoke, and the CSRF defences. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { FormClient, csrfOf, startPageStack, textOf } from "./harness.js";
import { signInWithGitHub } from "../server/harness.js";
import type { PageStack } from "./harness.js";

let stack: PageStack;
let n = 0;
before(async () => {
  stack = await startPageStack();
});
after(() => stack.close());

/** A fresh user (tests do not share sessions or passwords) signed in through the form. */
async function freshUser(password = "first-pass-123") {
  const username = `acct${++n}`;
  await stack.gatehouse.users.create({ username, role: "user", password, name: `Account ${n}` });
  const client = new FormClient(stack.url);
  await client.signIn(username, password);
  return { username, client, password };
}

test("anonymous /account goes to /login with return_to=/account", async () => {
  const res = await new FormClient(stack.url).get("/account");
  assert.equal(res.status, 303);
  assert.equal(res.location, `${stack.url}/login?return_to=%2Faccount`);
});

test("the account page labels every field and names every button", async () => {
  const { client } = await freshUser();
  const page = await client.get("/account");
  assert.equal(page.status, 200);
  for (const id of ["name", "email", "avatar_url", "theme", "current_password", "new_password", "confirm_password"]) {
    assert.match(page.html, new RegExp(`<label for="${id}">[^<]+</label>`), id);
    assert.match(page.html, new RegExp(`id="${id}"`), id);
  }
  for (const button of ["Save profile", "Change password", "Sign out"]) assert.match(page.html, new RegExp(`<button[^>]*>${button}`), button);
  assert.match(textOf(page.html), /No GitHub account linked\./);
});

test("the linked GitHub account links to the profile on the GitHub the service uses (here the emulator, not github.com)", async () => {
  const browser = stack.browser();
  assert.equal((await signInWithGitHub(stack, browser, "alice", "/account")).status, 302);
  const page = await browser.fetch("/account");
  assert.equal(page.status, 200);
  const body = await page.text();
  assert.ok(body.includes(`<a href="${stack.gh.url}/alice" rel="noreferrer">alice</a>`), "profile link on the emulator");
  assert.ok(!body.includes("https://github.com/"), "no hard-coded github.com link");
});

test("profile: the form saves name, email, avatar URL and theme, reflected at once (303 → GET)", async () => {
  const { client } = await freshUser();
  const csrf = csrfOf((await client.get("/account")).html);
  const res = await client.post("/account/profile", { csrf_token: csrf, name: "Ada <Lovelace>", email: "ada@example.com", avatar_url: "https://example.com/ada.png", theme: "dark" });
  assert.equal(res.status, 303);
  assert.equal(res.location, `${stack.url}/account?saved=profile`);
  const page = await client.get("/account?saved=profile");
  assert.match(textOf(page.html), /Your profile was saved\./);
  assert.match(page.html, /<html lang="en" data-theme="dark">/);
  assert.match(page.html, /Ada &lt;Lovelace&gt;/);
  assert.match(page.html, /<img src="https:\/\/example.com\/ada.png" alt=""/);
  assert.match(page.html, /<option value="dark" selected>Dark<\/option>/);
});

test("profile: a bad value is shown as a sentence beside the form, the typed values are kept, nothing is saved", async () => {
  const { client, username } = await freshUser();
  const csrf = csrfOf((await client.get("/account")).html);
  const res = await client.post("/account/profile", { csrf_token: csrf, name: "Kept Name", email: "not-an-email", avatar_url: "", theme: "" });
  assert.equal(res.status, 400);
  assert.match(textOf(res.html), /Email is not an email address\./);
  assert.match(res.html, /value="Kept Name"/);
  assert.equal((await stack.gatehouse.users.getByUsername(username)).name, `Account ${n}`);
});

test("a profile post without the CSRF token, with another session's token, or from another Origin is refused and changes nothing", async () => {
  const { client, username } = await freshUser();
  const other = await freshUser();
  const before = await stack.gatehouse.users.getByUsername(username);
  const fields = { name: "Hijacked", email: "", avatar_url: "", theme: "" };

  const missing = await client.post("/account/profile", fields);
  assert.equal(missing.status, 403);
  assert.match(textOf(missing.html), /not sent from a page of this site/);

  const foreign = await client.post("/account/profile", { ...fields, csrf_token: csrfOf((await other.client.get("/account")).html) });
  assert.equal(foreign.status, 403);

  // Origin check (the app's middleware) refuses a cross-site post even with a valid token.
  const token = csrfOf((await client.get("/account")).html);
  const crossSite = await client.post("/account/profile", { ...fields, csrf_token: token }, { origin: "https://evil.example" });
  assert.equal(crossSite.status, 403);

  // A browser that omits Origin (and Sec-Fetch-Site): refused without a token by the Origin check.
  const noOrigin = await client.post("/account/profile", fields, { origin: null });
  assert.equal(noOrigin.status, 403);

  // A browser that omits Origin but says Sec-Fetch-Site: same-origin passes the Origin check:
  // the CSRF token is what stops a forged post there.
  const sameSiteNoToken = await client.post("/account/profile", fields, { origin: null, headers: { "sec-fetch-site": "same-origin" } });
  assert.equal(sameSiteNoToken.status, 403);
  assert.match(textOf(sameSiteNoToken.html), /not sent from a page of this site/);
  const sameSiteToken = await client.post("/account/profile", { ...fields, name: before.name ?? "", csrf_token: token }, { origin: null, headers: { "sec-fetch-site": "same-origin" } });
  assert.equal(sameSiteToken.status, 303, "with the token the same post goes through");

  assert.equal((await stack.gatehouse.users.getByUsername(username)).name, before.name);
  const logs = stack.logs.join("\n");
  assert.ok(!logs.includes(token), "the CSRF token is never logged");
  assert.ok(!logs.includes(client.cookies.get("gatehouse_session") ?? "-"), "nor the session token");
});

test("password: wrong current password and mismatched repeats are refused with sentences; a change signs out the other sessions", async () => {
  const { client, username, password } = await freshUser();
  const second = new FormClient(stack.url, "curl/8.5.0");
  await second.signIn(username, password);
  const csrf = csrfOf((await client.get("/account")).html);

  const wrong = await client.post("/account/password", { csrf_token: csrf, current_password: "nope-nope-nope", new_password: "second-pass-123", confirm_password: "second-pass-123" });
  assert.equal(wrong.status, 401);
  assert.match(textOf(wrong.html), /The current password is wrong\./);

  const mismatch = await client.post("/account/password", { csrf_token: csrf, current_password: password, new_password: "second-pass-123", confirm_password: "second-pass-124" });
  assert.equal(mismatch.status, 400);
  assert.match(textOf(mismatch.html), /The two new passwords are not the same/);

  const ok = await client.post("/account/password", { csrf_token: csrf, current_password: password, new_password: "second-pass-123", confirm_password: "second-pass-123" });
  assert.equal(ok.status, 303);
  assert.match(textOf((await client.get("/account?saved=password")).html), /Your password was changed/);
  assert.equal((await second.get("/account")).status, 303, "the other session ended");
  assert.ok(!stack.logs.join("\n").includes("second-pass-123"), "the password is never logged");
  await new FormClient(stack.url).signIn(username, "second-pass-123");
});

test("sessions: each device is listed with its name and last activity, this one marked; revoking the other signs it out", async () => {
  const { client, username, password } = await freshUser();
  const phone = new FormClient(stack.url, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
  await phone.signIn(username, password);
  const page = await client.get("/account");
  const text = textOf(page.html);
  assert.match(text, /Firefox on Linux This device Signed in with a password from 127\.0\.0\.1 · last active just now/);
  assert.match(text, /Safari on iOS Signed in with a password/);
  assert.match(page.html, /<button type="submit" class="danger">Revoke<span class="visually-hidden"> Safari on iOS, last active just now<\/span><\/button>/);

  const session = /<form method="post" action="\/account\/sessions\/revoke">.*?name="session" value="([^"]+)"/.exec(page.html)?.[1] ?? "";
  const res = await client.post("/account/sessions/revoke", { csrf_token: csrfOf(page.html), session });
  assert.equal(res.status, 303);
  assert.equal(res.location, `${stack.url}/account?saved=revoked`);
  const after = await client.get("/account?saved=revoked");
  assert.match(textOf(after.html), /That session was signed out\./);
  assert.doesNotMatch(textOf(after.html), /Safari on iOS/);
  assert.equal((await phone.get("/account")).status, 303, "the revoked device is signed out at its next request");
});

test("revoking a session that is not yours (or is gone) changes nothing and says it has already ended", async () => {
  const a = await freshUser();
  const b = await freshUser();
  const bSessions = await stack.gatehouse.users.listSessions((await stack.gatehouse.users.getByUsername(b.username)).id);
  const res = await a.client.post("/account/sessions/revoke", { csrf_token: csrfOf((await a.client.get("/account")).html), session: bSessions[0]?.id ?? "x" });
  assert.equal(res.status, 404);
  assert.match(textOf(res.html), /That session has already ended\./);
  assert.equal((await b.client.get("/account")).status, 200);
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { csrfOf } from "../pages/harness.js";
import { signInWithGitHub, startStack } from "./harness.js";
import type { Browser, Stack } from "./harness.js";

type Json = Record<string, unknown>;

forEachDatabase("profile edits over HTTP survive GitHub sign-ins", (db) => {
  let stack: Stack;
  before(async () => { stack = await startStack({ database: await db.fresh(), deviceInterval: 0 }); });
  after(async () => { await stack.close(); });

  function addGitHubUser(login: string, id: number): void {
    stack.gh.addUser({ login, id, name: `${login} at GitHub`, emails: [{ email: `${login}@github.test`, primary: true, verified: true, visibility: "private" }] });
  }

  /** The user changes name, email and avatar on github.com. */
  function changeAtGitHub(login: string): void {
    stack.gh.setProfile(login, { name: `${login} renamed at GitHub`, newAvatar: true });
    stack.gh.setEmails(login, [{ email: `${login}@new.github.test`, primary: true, verified: true, visibility: "private" }]);
  }

  async function me(browser: Browser): Promise<Json> {
    const res = await browser.fetch("/api/users/me");
    assert.equal(res.status, 200);
    return ((await res.json()) as { user: Json }).user;
  }

  test("PUT /api/users name and email, sign out, sign in with GitHub again: both kept; the unedited avatar follows GitHub", async () => {
    addGitHubUser("uma", 4001);
    const browser = stack.browser();
    await signInWithGitHub(stack, browser, "uma");
    const first = await me(browser);
    const put = await browser.fetch("/api/users", { method: "PUT", json: { name: "Uma Local", email: "uma@local.test" } });
    assert.equal(put.status, 200);
    assert.equal((await browser.fetch("/api/users/logout", { method: "POST" })).status, 204);

    changeAtGitHub("uma");
    await signInWithGitHub(stack, browser, "uma");
    const again = await me(browser);
    assert.equal(again["name"], "Uma Local");
    assert.equal(again["email"], "uma@local.test");
    assert.notEqual(again["avatar"], first["avatar"]);
    assert.match(String(again["avatar"]), /\/avatars\/u\/4001\?v=1$/);

    // Sending null (or "") hands the field back to GitHub from the next sign-in.
    assert.equal((await browser.fetch("/api/users", { method: "PUT", json: { name: null } })).status, 200);
    await signInWithGitHub(stack, browser, "uma");
    assert.equal((await me(browser))["name"], "uma renamed at GitHub");
  });

  test("the account page's saved name survives a device login (gatehouse login) as well", async () => {
    addGitHubUser("vik", 4002);
    const browser = stack.browser();
    await signInWithGitHub(stack, browser, "vik");
    const page = await (await browser.fetch("/account")).text();
    assert.match(page, /follow your GitHub profile at each GitHub sign-in until you change them here/);
    assert.match(page, /An http:\/\/ or https:\/\/ address of a square image\./, "the avatar hint says what is accepted");
    const user = await me(browser);
    const saved = await browser.fetch("/account/profile", {
      method: "POST",
      body: new URLSearchParams({ csrf_token: csrfOf(page), name: "Vik Local", email: String(user["email"]), avatar_url: String(user["avatar"]), theme: "system" }),
    });
    assert.equal(saved.status, 303);
    assert.match(await (await browser.fetch("/account")).text(), /Name <span class="muted small">\(set here\)<\/span>/);

    changeAtGitHub("vik");
    const start = (await (await fetch(`${stack.url}/api/device/start`, { method: "POST" })).json()) as { handle: string; user_code: string };
    stack.gh.approveDevice(start.user_code, "vik");
    const poll = await fetch(`${stack.url}/api/device/poll`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ handle: start.handle }) });
    const done = (await poll.json()) as { status: string; user: Json };
    assert.equal(done.status, "complete");
    assert.equal(done.user["name"], "Vik Local");
    assert.equal(done.user["email"], "vik@new.github.test", "the email was posted unchanged: not an edit, it follows GitHub");
    assert.match(String(done.user["avatar"]), /\?v=1$/);
  });

  test("a theme outside system, light, dark is refused by the API and by the page, and never offered as a choice", async () => {
    addGitHubUser("wen", 4003);
    const browser = stack.browser();
    await signInWithGitHub(stack, browser, "wen");
    const bad = await browser.fetch("/api/users", { method: "PUT", json: { theme: "purple" } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as Json)["field"], "theme");
    assert.equal((await me(browser))["theme"], "system");

    const page = await (await browser.fetch("/account")).text();
    const posted = await browser.fetch("/account/profile", {
      method: "POST",
      body: new URLSearchParams({ csrf_token: csrfOf(page), name: "", email: "", avatar_url: "", theme: "purple" }),
    });
    assert.equal(posted.status, 400);
    const shown = await posted.text();
    assert.doesNotMatch(shown, /purple/, "the refused value is not offered back as a choice");
    assert.deepEqual([...shown.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]), ["system", "light", "dark"]);

    // A value stored before themes were checked is not shown as a choice either.
    const wen = await stack.gatehouse.users.getByUsername("wen");
    await stack.gatehouse.store.users.update(wen.id, { theme: "purple" });
    const later = await (await browser.fetch("/account")).text();
    assert.doesNotMatch(later, /purple/);
    assert.match(later, /<option value="system" selected>/);
    assert.equal((await me(browser))["theme"], "system");
  });
});

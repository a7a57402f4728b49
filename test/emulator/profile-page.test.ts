/** github.com/{login} in the emulator: an HTML profile for browsers, api.github.com's JSON for API clients. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGitHubEmulator } from "../../src/emulator/index.js";

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const origin = "http://gh.test";

test("a browser opening {emulator}/octocat gets an HTML profile page: avatar, login, name, and that it is the emulator", async () => {
  const gh = createGitHubEmulator();
  const res = await gh.fetch(new Request(`${origin}/octocat`, { headers: { accept: BROWSER } }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await res.text();
  assert.match(html, /<h1>octocat<\/h1>/);
  assert.match(html, /<img src="http:\/\/gh\.test\/avatars\/u\/583231" alt=""/);
  assert.match(html, /<strong>The Octocat<\/strong>/);
  assert.match(html, /This is the local GitHub emulator/);
  // The same path for the REST API (no HTML asked for) stays api.github.com's JSON 404.
  const api = await gh.fetch(new Request(`${origin}/octocat`, { headers: { accept: "application/vnd.github+json", "user-agent": "t" } }));
  assert.equal(api.status, 404);
  assert.deepEqual(await api.json(), { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  const unknown = await gh.fetch(new Request(`${origin}/no-such-user`, { headers: { accept: BROWSER } }));
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /There is no user &#39;no-such-user&#39; in this emulator/);
  // API paths keep answering JSON, even to a browser.
  const user = await gh.fetch(new Request(`${origin}/user`, { headers: { accept: BROWSER, "user-agent": "t" } }));
  assert.equal(user.status, 401);
  assert.match(user.headers.get("content-type") ?? "", /application\/json/);
});

test("setProfile (in process and over HTTP) changes the name and the avatar's ?v=, seen by /user and the profile page", async () => {
  const gh = createGitHubEmulator();
  const token = gh.createToken("hubot").accessToken;
  gh.setProfile("hubot", { name: "Hubot Two", newAvatar: true });
  const put = await gh.fetch(new Request(`${origin}/_emulator/users/hubot/profile`, {
    method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ bio: "beep", newAvatar: true }),
  }));
  assert.equal(put.status, 204);
  const me = (await (await gh.fetch(new Request(`${origin}/user`, { headers: { authorization: `Bearer ${token}`, "user-agent": "t" } }))).json()) as Record<string, unknown>;
  assert.equal(me["name"], "Hubot Two");
  assert.equal(me["bio"], "beep");
  assert.match(String(me["avatar_url"]), /\/avatars\/u\/\d+\?v=2$/);
  assert.match(await (await gh.fetch(new Request(`${origin}/hubot`, { headers: { accept: BROWSER } }))).text(), /<strong>Hubot Two<\/strong>[\s\S]*<p>beep<\/p>/);
  const bad = await gh.fetch(new Request(`${origin}/_emulator/users/hubot/profile`, {
    method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "renamed" }),
  }));
  assert.equal(bad.status, 400);
  assert.throws(() => gh.setProfile("nobody", { name: "x" }), /no user 'nobody'/);
});

test("emulator pages link an SVG icon; /favicon.svg is served and /favicon.ico answers 204, not a JSON 404", async () => {
  const gh = createGitHubEmulator();
  const page = await (await gh.fetch(new Request(`${origin}/login/device`, { headers: { accept: BROWSER } }))).text();
  assert.match(page, /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml">/);
  const svg = await gh.fetch(new Request(`${origin}/favicon.svg`));
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get("content-type"), "image/svg+xml");
  assert.equal((await gh.fetch(new Request(`${origin}/favicon.ico`))).status, 204);
});

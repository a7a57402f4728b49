/** api.github.com as the emulator serves it: headers, scopes, bodies, and GHES's /api/v3 layout. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createGitHubEmulator, startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { api } from "./helpers.js";

let gh: GitHubEmulatorHandle;
before(async () => {
  gh = await startGitHubEmulator();
});
after(() => gh.close());

test("missing User-Agent: 403 with GitHub's message (in-process fetch, since Node's fetch always adds one)", async () => {
  const em = createGitHubEmulator();
  const token = em.createToken("octocat").accessToken;
  const res = await em.fetch(new Request("http://gh.test/user", { headers: { authorization: `Bearer ${token}` } }));
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { message: string }).message, /Missing or invalid User Agent string/);
});

test("GitHub's 401 body: Bad credentials with status as a string; Requires authentication without a token", async () => {
  const bad = await api(gh, "/user", "gho_notarealtoken");
  assert.equal(bad.status, 401);
  assert.deepEqual(await bad.json(), { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
  const none = await fetch(`${gh.url}/user`, { headers: { "user-agent": "t" } });
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { message: string }).message, "Requires authentication");
});

test("GET /user: id is the stable identity; email is null when the primary email is private", async () => {
  const octocat = await (await api(gh, "/user", gh.createToken("octocat").accessToken)).json() as Record<string, unknown>;
  assert.equal(octocat["login"], "octocat");
  assert.equal(octocat["id"], 583231);
  assert.equal(octocat["email"], "octocat@github.com");
  for (const key of ["node_id", "avatar_url", "html_url", "type", "site_admin", "name"]) assert.ok(key in octocat, key);
  const mona = await (await api(gh, "/user", gh.createToken("monalisa").accessToken)).json() as Record<string, unknown>;
  assert.equal(mona["email"], null);
});

test("both Bearer and the older token scheme work; the API is served again under /api/v3", async () => {
  const token = gh.createToken("octocat").accessToken;
  const viaToken = await fetch(`${gh.url}/api/v3/user`, { headers: { authorization: `token ${token}`, "user-agent": "t" } });
  assert.equal(viaToken.status, 200);
  assert.equal(((await viaToken.json()) as { url: string }).url, `${gh.url}/api/v3/users/octocat`);
});

test("response headers: X-OAuth-Scopes, X-Accepted-OAuth-Scopes, rate limits, x-github-api-version-selected", async () => {
  const token = gh.createToken("hubot", { scopes: ["user:email", "read:org"] }).accessToken;
  const res = await api(gh, "/user/emails", token, { "x-github-api-version": "2026-03-10" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-oauth-scopes"), "user:email, read:org");
  assert.equal(res.headers.get("x-accepted-oauth-scopes"), "user, user:email");
  assert.equal(res.headers.get("x-github-api-version-selected"), "2026-03-10");
  assert.equal(res.headers.get("x-ratelimit-limit"), "5000");
  assert.equal(res.headers.get("x-ratelimit-resource"), "core");
  const remaining = Number(res.headers.get("x-ratelimit-remaining"));
  const next = await api(gh, "/user", token);
  assert.equal(Number(next.headers.get("x-ratelimit-remaining")), remaining - 1);
  assert.ok(Number(next.headers.get("x-ratelimit-reset")) > Date.now() / 1000);
  assert.equal(next.headers.get("x-github-api-version-selected"), "2022-11-28", "the default version");
  const unsupported = await api(gh, "/user", token, { "x-github-api-version": "1999-01-01" });
  assert.equal(unsupported.status, 400);
});

test("scope checks: /user/emails needs user:email or user (404 otherwise); user implies user:email", async () => {
  const none = await api(gh, "/user/emails", gh.createToken("monalisa").accessToken);
  assert.equal(none.status, 404);
  assert.equal(none.headers.get("x-accepted-oauth-scopes"), "user, user:email");
  const user = await api(gh, "/user/emails", gh.createToken("monalisa", { scopes: ["user"] }).accessToken);
  assert.deepEqual(await user.json(), [
    { email: "mona@example.com", primary: true, verified: true, visibility: "private" },
    { email: "mona@old.example.com", primary: false, verified: false, visibility: null },
  ]);
});

test("org memberships: active admin, pending is reported as pending, non-member 404; read:org required", async () => {
  const token = (login: string) => gh.createToken(login, { scopes: ["read:org"] }).accessToken;
  const admin = (await (await api(gh, "/user/memberships/orgs/octo-org", token("octocat"))).json()) as Record<string, unknown>;
  assert.equal(admin["state"], "active");
  assert.equal(admin["role"], "admin");
  const pending = (await (await api(gh, "/user/memberships/orgs/octo-org", token("hubot"))).json()) as Record<string, unknown>;
  assert.equal(pending["state"], "pending");
  assert.equal((await api(gh, "/user/memberships/orgs/octo-org", token("newbie"))).status, 404);
  assert.equal((await api(gh, "/user/memberships/orgs/octo-org", gh.createToken("newbie").accessToken)).status, 403);
});

test("GET /user/orgs: 403 without user or read:org (as GitHub documents); pending invitations never listed", async () => {
  const call = (login: string, scopes: string[]) => api(gh, "/user/orgs", gh.createToken(login, { scopes }).accessToken);
  const logins = async (login: string, scopes: string[]) => ((await (await call(login, scopes)).json()) as Array<{ login: string }>).map((o) => o.login);
  assert.deepEqual(await logins("monalisa", ["read:org"]), ["octo-org"]);
  assert.deepEqual(await logins("monalisa", ["user"]), ["octo-org"]);
  assert.deepEqual(await logins("hubot", ["read:org"]), []);
  const denied = await call("octocat", ["read:user"]);
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get("x-accepted-oauth-scopes"), "admin:org, read:org, user, write:org");
});

test("GET /user: the public view without user/read:user, the private view (user_view_type private) with either", async () => {
  const view = async (scopes: string[]) => (await (await api(gh, "/user", gh.createToken("octocat", { scopes }).accessToken)).json()) as Record<string, unknown>;
  const pub = await view(["user:email"]);
  assert.equal(pub["user_view_type"], "public");
  assert.equal("two_factor_authentication" in pub, false);
  for (const scopes of [["read:user"], ["user"]]) {
    const priv = await view(scopes);
    assert.equal(priv["user_view_type"], "private", scopes.join());
    assert.equal(priv["two_factor_authentication"], false);
    assert.equal(typeof priv["total_private_repos"], "number");
  }
});

test("pagination: per_page default 30 and max 100, page, and GitHub's Link header (prev, next, last, first)", async () => {
  const fresh = await startGitHubEmulator();
  try {
    const orgs = Array.from({ length: 250 }, (_, i) => ({ login: `org-${i}`, role: "member" as const }));
    fresh.addUser({ id: 77, login: "joiner", emails: [{ email: "j@example.com", primary: true, verified: true, visibility: "public" }], orgs });
    const token = fresh.createToken("joiner", { scopes: ["read:org"] }).accessToken;
    const page = async (query: string) => {
      const res = await api(fresh, `/user/orgs${query}`, token);
      return { n: ((await res.json()) as unknown[]).length, link: res.headers.get("link") };
    };
    const first = await page("");
    assert.equal(first.n, 30);
    assert.equal(first.link, `<${fresh.url}/user/orgs?page=2>; rel="next", <${fresh.url}/user/orgs?page=9>; rel="last"`);
    const middle = await page("?per_page=100&page=2");
    assert.equal(middle.n, 100);
    assert.equal(
      middle.link,
      `<${fresh.url}/user/orgs?per_page=100&page=1>; rel="prev", <${fresh.url}/user/orgs?per_page=100&page=3>; rel="next", <${fresh.url}/user/orgs?per_page=100&page=3>; rel="last", <${fresh.url}/user/orgs?per_page=100&page=1>; rel="first"`,
    );
    assert.equal((await page("?per_page=500")).n, 100, "per_page is capped at 100");
    const last = await page("?per_page=100&page=3");
    assert.equal(last.n, 50);
    assert.equal(last.link, `<${fresh.url}/user/orgs?per_page=100&page=2>; rel="prev", <${fresh.url}/user/orgs?per_page=100&page=1>; rel="first"`);
    assert.equal((await page("?per_page=100&page=4")).n, 0);
    assert.equal((await api(fresh, "/user/emails", fresh.createToken("joiner", { scopes: ["user"] }).accessToken)).headers.get("link"), null, "one page: no Link");
  } finally {
    await fresh.close();
  }
});

test("conditional requests: ETag, 304 for If-None-Match without a body, and a 304 does not count against the rate limit", async () => {
  const token = gh.createToken("octocat", { scopes: ["read:org"] }).accessToken;
  const first = await api(gh, "/user/orgs", token);
  const etag = first.headers.get("etag");
  assert.match(etag ?? "", /^W\/"[0-9a-f]{64}"$/);
  assert.equal(first.headers.get("cache-control"), "private, max-age=60, s-maxage=60");
  const remaining = Number(first.headers.get("x-ratelimit-remaining"));
  const again = await api(gh, "/user/orgs", token, { "if-none-match": etag ?? "" });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");
  const after = await api(gh, "/user", token);
  assert.equal(Number(after.headers.get("x-ratelimit-remaining")), remaining - 1, "the 304 was not counted");
  assert.equal((await api(gh, "/user/orgs", token, { "if-none-match": 'W/"other"' })).status, 200);
});

test("headers real responses carry: x-github-request-id, x-oauth-client-id, github-authentication-token-expiration for expiring tokens", async () => {
  const t = gh.createToken("octocat", { scopes: ["offline_access"] });
  const res = await api(gh, "/user", t.accessToken);
  assert.match(res.headers.get("x-github-request-id") ?? "", /^[0-9A-F]{4}:[0-9A-F]{5}:[0-9A-F]{7}:[0-9A-F]{7}:[0-9A-F]{8}$/);
  assert.equal(res.headers.get("x-oauth-client-id"), gh.apps()[0]?.clientId);
  assert.match(res.headers.get("github-authentication-token-expiration") ?? "", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  const plain = await api(gh, "/user", gh.createToken("octocat").accessToken);
  assert.equal(plain.headers.get("github-authentication-token-expiration"), null, "non-expiring tokens carry none");
});

test("team membership: member, maintainer and 404 for a non-member", async () => {
  const token = gh.createToken("octocat", { scopes: ["read:org"] }).accessToken;
  const m = (await (await api(gh, "/orgs/octo-org/teams/developers/memberships/monalisa", token)).json()) as Record<string, unknown>;
  assert.deepEqual([m["role"], m["state"]], ["member", "active"]);
  const o = (await (await api(gh, "/orgs/octo-org/teams/owners/memberships/octocat", token)).json()) as Record<string, unknown>;
  assert.equal(o["role"], "maintainer");
  assert.equal((await api(gh, "/orgs/octo-org/teams/owners/memberships/monalisa", token)).status, 404);
});

test("token management: wrong Basic credentials 401, missing access_token 422, DELETE with a JSON body", async () => {
  const app = gh.apps()[0];
  assert.ok(app);
  const call = (method: string, auth: string, body: unknown) =>
    fetch(`${gh.url}/applications/${app.clientId}/token`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(auth).toString("base64")}`, "user-agent": "t", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const token = gh.createToken("octocat").accessToken;
  assert.equal((await call("POST", `${app.clientId}:wrong`, { access_token: token })).status, 401);
  assert.equal((await call("POST", `${app.clientId}:${app.clientSecret}`, {})).status, 422);
  assert.equal((await call("DELETE", `${app.clientId}:${app.clientSecret}`, { access_token: token })).status, 204);
  assert.equal((await call("DELETE", `${app.clientId}:${app.clientSecret}`, { access_token: token })).status, 404, "already gone");
});

test("an API path the emulator does not serve is api.github.com's JSON 404, with its headers", async () => {
  const res = await api(gh, "/repos/octocat/hello-world", gh.createToken("octocat").accessToken);
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
  assert.ok(res.headers.get("x-github-request-id"));
  assert.equal(res.headers.get("x-github-media-type"), "github.v3; format=json");
});

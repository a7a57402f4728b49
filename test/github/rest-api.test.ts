import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubApiError, GitHubOAuth, GitHubUsageError } from "../../src/github/index.js";
import { CLIENT_ID, json, script, stubFetch, text, type Responder } from "./wire-stub.js";

const NOW = Date.UTC(2026, 0, 1, 12);
const TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

const USER = {
  login: "octocat", id: 1, node_id: "MDQ6VXNlcjE=", avatar_url: "https://avatars.githubusercontent.com/u/1?v=4",
  html_url: "https://github.com/octocat", type: "User", site_admin: false, name: "The Octocat", email: null,
  company: "@github", blog: "https://github.blog", location: "San Francisco", bio: null,
};
const EMAILS = [
  { email: "octocat@users.noreply.github.com", primary: false, verified: true, visibility: null },
  { email: "octocat@github.com", primary: true, verified: true, visibility: "private" },
];

function setup(responder: Responder) {
  const stub = stubFetch(responder);
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch, now: () => NOW });
  return { github, calls: stub.calls };
}

test("GET /user: Bearer token, Accept vnd.github+json, User-Agent, API version; camelCase user; private email is null", async () => {
  const { github, calls } = setup(script(json(USER)));
  const user = await github.getUser(TOKEN);
  assert.deepEqual(user, { id: 1, nodeId: "MDQ6VXNlcjE=", login: "octocat", name: "The Octocat", email: null, avatarUrl: USER.avatar_url, htmlUrl: USER.html_url, type: "User", siteAdmin: false });
  const req = calls[0]!;
  assert.equal(req.method, "GET");
  assert.equal(req.url.href, "https://api.github.com/user");
  assert.equal(req.headers.get("authorization"), `Bearer ${TOKEN}`);
  assert.equal(req.headers.get("accept"), "application/vnd.github+json");
  assert.equal(req.headers.get("user-agent"), "gatehouse");
  assert.equal(req.headers.get("x-github-api-version"), "2022-11-28");
});

test("a user whose id is a string, or missing, is invalid_response (the id is the identity)", async () => {
  for (const body of [{ ...USER, id: "1" }, { ...USER, id: undefined }, { ...USER, id: 1.5 }, { ...USER, login: 7 }, [USER], "nope"]) {
    const { github } = setup(script(json(body)));
    await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "invalid_response" && e.status === 200 && !e.message.includes(TOKEN));
  }
  const { github } = setup(script(text("<html>", "text/html")));
  await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "invalid_response");
});

test("GET /user/emails: visibility public/private/null", async () => {
  const { github, calls } = setup(script(json(EMAILS)));
  assert.deepEqual(await github.getEmails(TOKEN), [
    { email: "octocat@users.noreply.github.com", primary: false, verified: true, visibility: null },
    { email: "octocat@github.com", primary: true, verified: true, visibility: "private" },
  ]);
  assert.equal(calls[0]!.url.pathname, "/user/emails");
});

test("getIdentity: primary AND verified email, scopes from X-OAuth-Scopes (comma+space), both requests at once", async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const { github, calls } = setup(async (req) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 10));
    inFlight--;
    return req.url.pathname === "/user" ? json(USER, 200, { "x-oauth-scopes": "read:user, user:email", "x-accepted-oauth-scopes": "" })() : json(EMAILS)();
  });
  const identity = await github.getIdentity(TOKEN);
  assert.equal(identity.email, "octocat@github.com");
  assert.deepEqual(identity.scopes, ["read:user", "user:email"]);
  assert.equal(identity.user.id, 1);
  assert.equal(calls.length, 2);
  assert.equal(maxInFlight, 2);
});

test("getIdentity: an unverified primary email gives email null (never a public profile email)", async () => {
  const { github } = setup((req) => (req.url.pathname === "/user" ? json({ ...USER, email: "public@example.com" })() : json([{ email: "p@example.com", primary: true, verified: false, visibility: "public" }, { email: "v@example.com", primary: false, verified: true, visibility: null }])()));
  const identity = await github.getIdentity(TOKEN);
  assert.equal(identity.email, null);
  assert.deepEqual(identity.scopes, []);
});

test("getIdentity: no user:email scope (emails 404) gives email null; a 401 on emails is thrown", async () => {
  const a = setup((req) => (req.url.pathname === "/user" ? json(USER, 200, { "x-oauth-scopes": "read:user" })() : json({ message: "Not Found" }, 404)()));
  assert.equal((await a.github.getIdentity(TOKEN)).email, null);
  const b = setup((req) => (req.url.pathname === "/user" ? json(USER)() : json({ message: "Bad credentials" }, 401)()));
  await assert.rejects(b.github.getIdentity(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "bad_credentials");
});

test("401 Bad credentials (status as a string in the body) is bad_credentials", async () => {
  const { github } = setup(script(json({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" }, 401)));
  await assert.rejects(github.getUser(TOKEN), (e: unknown) => {
    assert.ok(e instanceof GitHubApiError);
    assert.equal(e.code, "bad_credentials");
    assert.equal(e.status, 401);
    assert.equal(e.githubMessage, "Bad credentials");
    assert.equal(e.name, "GitHubApiError");
    assert.ok(!e.message.includes(TOKEN));
    return true;
  });
});

test("primary rate limit: 403 with x-ratelimit-remaining 0 is rate_limited with rateLimit and retryAfter until reset", async () => {
  const reset = NOW / 1000 + 120;
  const headers = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000", "x-ratelimit-reset": String(reset), "x-ratelimit-resource": "core" };
  for (const status of [403, 429]) {
    const { github } = setup(script(json({ message: "API rate limit exceeded for user ID 1." }, status, headers)));
    await assert.rejects(github.getUser(TOKEN), (e: unknown) => {
      assert.ok(e instanceof GitHubApiError);
      assert.equal(e.code, "rate_limited");
      assert.deepEqual(e.rateLimit, { limit: 5000, remaining: 0, reset: new Date(reset * 1000), resource: "core" });
      assert.equal(e.retryAfter, 120);
      return true;
    });
  }
});

test("secondary rate limit: retry-after wins, else reset, else 60 s", async () => {
  const message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
  const cases: Array<[Record<string, string>, number, number]> = [
    [{ "retry-after": "30", "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000", "x-ratelimit-reset": String(NOW / 1000 + 500) }, 403, 30],
    [{ "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000", "x-ratelimit-reset": String(NOW / 1000 + 500) }, 429, 500],
    [{}, 403, 60],
  ];
  for (const [headers, status, retryAfter] of cases) {
    const { github } = setup(script(json({ message }, status, headers)));
    await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "secondary_rate_limit" && e.retryAfter === retryAfter);
  }
});

test("secondary rate limit without retry-after whose x-ratelimit-reset is past or near still waits at least 60 s (never a hot retry loop)", async () => {
  const message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
  for (const reset of [NOW / 1000 - 30, NOW / 1000, NOW / 1000 + 5]) {
    const headers = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999", "x-ratelimit-reset": String(reset) };
    const { github } = setup(script(json({ message }, 403, headers)));
    await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "secondary_rate_limit" && e.retryAfter === 60);
  }
});

test("other 403 is forbidden (SAML SSO header kept; missing User-Agent message); 404 not_found; 5xx server_error; 418 unexpected_status", async () => {
  const cases: Array<[() => Response, string]> = [
    [json({ message: "Resource protected by organization SAML enforcement." }, 403, { "x-github-sso": "required; url=https://github.com/orgs/acme/sso?authorization_request=X" }), "forbidden"],
    [json({ message: "Missing or invalid User Agent string." }, 403), "forbidden"],
    [json({ message: "Not Found" }, 404), "not_found"],
    [text("<html>Unicorn</html>", "text/html", 503), "server_error"],
    [json({ message: "teapot" }, 418), "unexpected_status"],
  ];
  for (const [res, code] of cases) {
    const { github } = setup(script(res));
    await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === code && e.retryAfter === undefined);
  }
  const { github } = setup(script(cases[0]![0]));
  await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.sso?.startsWith("required; url=") === true);
});

test("a token that is not a usable string is refused before any request", async () => {
  const { github, calls } = setup(script());
  for (const bad of ["", "gho_a b", "gho_a\r\nX-Evil: 1"]) {
    await assert.rejects(github.getUser(bad), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_argument" && !e.message.includes("gho_a"));
  }
  assert.equal(calls.length, 0);
});

test("rate limits read from incomplete headers: remaining 0 alone is the primary limit; retry-after alone on a 403 is a secondary limit", async () => {
  const cases: Array<[() => Response, string, number]> = [
    [json({ message: "API rate limit exceeded" }, 403, { "x-ratelimit-remaining": "0" }), "rate_limited", 60],
    [json({ message: "Forbidden" }, 403, { "retry-after": "10" }), "secondary_rate_limit", 10],
    [json({ message: "You have triggered an abuse detection mechanism." }, 403), "secondary_rate_limit", 60],
    [json({ message: "slow down" }, 429, { "retry-after": new Date(NOW + 90_000).toUTCString() }), "secondary_rate_limit", 90],
  ];
  for (const [res, code, retryAfter] of cases) {
    const { github } = setup(script(res));
    await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === code && e.retryAfter === retryAfter, `${code} ${retryAfter}`);
  }
});

test("retry-after is honoured wherever it is sent: a 503 with retry-after carries it", async () => {
  const { github } = setup(script(text("busy", "text/plain", 503, { "retry-after": "7" })));
  await assert.rejects(github.getUser(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "server_error" && e.retryAfter === 7);
});

test("checkToken accepts the fields the description marks nullable as null (scopes, user, expires_at)", async () => {
  const stub = stubFetch(script(json({ id: 1, token: TOKEN, scopes: null, user: null, expires_at: null, hashed_token: null, token_last_eight: null })));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: "s3cret", fetch: stub.fetch, now: () => NOW });
  assert.deepEqual(await github.checkToken(TOKEN), { scopes: [], user: null });
});

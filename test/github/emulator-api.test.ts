import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubApiError, GitHubNetworkError, GitHubOAuth } from "../../src/github/index.js";
import { CALLBACK, setup } from "./emulator-setup.js";

test("checkToken: scopes and owner; null once revoked; revokeToken true then false", async () => {
  const { gh, github } = await setup();
  const { accessToken } = gh.createToken("octocat", { scopes: ["read:user", "read:org"] });
  const info = await github.checkToken(accessToken);
  assert.ok(info);
  assert.deepEqual(info.scopes, ["read:user", "read:org"]);
  assert.equal(info.user?.id, 583231);
  assert.equal(info.expiresAt, undefined);
  assert.equal(await github.revokeToken(accessToken), true);
  assert.equal(await github.checkToken(accessToken), null);
  assert.equal(await github.revokeToken(accessToken), false);
  await assert.rejects(github.getUser(accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "bad_credentials");
  // The token travelled in JSON bodies, never in a URL.
  for (const r of gh.requests()) assert.ok(!r.path.includes(accessToken) && !Object.values(r.query).includes(accessToken));
});

test("resetToken: a new token works, the old one stops", async () => {
  const { gh, github } = await setup();
  const { accessToken } = gh.createToken("monalisa", { scopes: ["read:user"] });
  const fresh = await github.resetToken(accessToken);
  assert.notEqual(fresh, accessToken);
  assert.equal((await github.getUser(fresh)).login, "monalisa");
  await assert.rejects(github.getUser(accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "bad_credentials");
});

test("revokeGrant: every token of the user for the app stops working", async () => {
  const { gh, github } = await setup();
  const a = gh.createToken("octocat", { scopes: ["read:user"] }).accessToken;
  const b = gh.createToken("octocat", { scopes: ["read:user"] }).accessToken;
  assert.equal(await github.revokeGrant(a), true);
  assert.equal(await github.checkToken(a), null);
  assert.equal(await github.checkToken(b), null);
});

test("token API with a wrong client secret is an error, not null", async () => {
  const { gh } = await setup();
  const { accessToken } = gh.createToken("octocat");
  const wrong = new GitHubOAuth({ clientId: gh.apps()[0]!.clientId, clientSecret: "not-the-secret", webUrl: gh.url, apiUrl: gh.url });
  await assert.rejects(wrong.checkToken(accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "bad_credentials" && !e.message.includes("not-the-secret"));
});

test("orgs and memberships: admin, member, pending is not membership, non-member is null", async () => {
  const { gh, github } = await setup();
  const token = (login: string) => gh.createToken(login, { scopes: ["read:user", "read:org"] }).accessToken;
  const octocat = token("octocat");
  assert.deepEqual((await github.listOrgs(octocat)).map((o) => o.login), ["octo-org"]);
  assert.deepEqual(await github.getOrgMembership(octocat, "octo-org"), { state: "active", role: "admin" });
  assert.deepEqual(await github.getTeamMembership(octocat, "octo-org", "owners", "octocat"), { state: "active", role: "maintainer" });
  assert.deepEqual(await github.getOrgMembership(token("monalisa"), "octo-org"), { state: "active", role: "member" });
  assert.deepEqual(await github.getTeamMembership(octocat, "octo-org", "developers", "monalisa"), { state: "active", role: "member" });
  assert.deepEqual(await github.getOrgMembership(token("hubot"), "octo-org"), { state: "pending", role: "member" });
  assert.deepEqual(await github.listOrgs(token("hubot")), []);
  assert.equal(await github.getOrgMembership(token("newbie"), "octo-org"), null);
  assert.equal(await github.getTeamMembership(octocat, "octo-org", "owners", "newbie"), null);
  gh.setOrgMembership("newbie", "octo-org", { role: "member", state: "active" });
  assert.deepEqual(await github.getOrgMembership(token("newbie"), "octo-org"), { state: "active", role: "member" });
});

test("membership without read:org is forbidden, not null", async () => {
  const { gh, github } = await setup();
  const { accessToken } = gh.createToken("octocat", { scopes: ["read:user"] });
  await assert.rejects(github.getOrgMembership(accessToken, "octo-org"), (e: unknown) => e instanceof GitHubApiError && e.code === "forbidden");
});

test("team membership without read:org: GitHub's 404 is read as forbidden (a missing scope), not as 'not a member'", async () => {
  const { gh, github } = await setup();
  const { accessToken } = gh.createToken("octocat", { scopes: ["read:user"] });
  await assert.rejects(github.getTeamMembership(accessToken, "octo-org", "owners", "octocat"), (e: unknown) => e instanceof GitHubApiError && e.code === "forbidden" && e.status === 404);
  const admin = gh.createToken("octocat", { scopes: ["admin:org"] }).accessToken;
  assert.deepEqual(await github.getTeamMembership(admin, "octo-org", "owners", "octocat"), { state: "active", role: "maintainer" });
  assert.equal(await github.getTeamMembership(admin, "octo-org", "owners", "newbie"), null);
});

test("API faults: primary and secondary rate limits, 5xx, malformed body, slow answer", async () => {
  const { gh } = await setup();
  const app = gh.apps()[0]!;
  const github = new GitHubOAuth({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: CALLBACK, webUrl: gh.url, apiUrl: gh.url, timeoutMs: 1000 });
  const { accessToken } = gh.createToken("octocat", { scopes: ["read:user"] });
  gh.injectFault("GET /user", { rateLimit: "primary" });
  await assert.rejects(github.getUser(accessToken), (e: unknown) => {
    assert.ok(e instanceof GitHubApiError);
    assert.equal(e.code, "rate_limited");
    assert.equal(e.status, 403);
    assert.equal(e.rateLimit?.remaining, 0);
    assert.ok(e.retryAfter !== undefined && e.retryAfter >= 0);
    return true;
  });
  gh.injectFault("GET /user", { rateLimit: "secondary", status: 429, retryAfter: 42 });
  await assert.rejects(github.getUser(accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "secondary_rate_limit" && e.status === 429 && e.retryAfter === 42);
  gh.injectFault("GET /user", { status: 503 });
  await assert.rejects(github.getUser(accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "server_error" && e.status === 503);
  gh.injectFault("GET /user", { malformed: true });
  await assert.rejects(github.getUser(accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "invalid_response");
  gh.injectFault("GET /user", { delayMs: 3000 });
  await assert.rejects(github.getUser(accessToken), (e: unknown) => e instanceof GitHubNetworkError && e.code === "timeout");
  assert.equal((await github.getUser(accessToken)).login, "octocat");
});

test("device code endpoint faults: 5xx -> server_error", async () => {
  const { gh, github } = await setup();
  gh.injectFault("POST /login/device/code", { status: 500 });
  await assert.rejects(github.requestDeviceCode(), (e: unknown) => e instanceof Error && "code" in e && e.code === "server_error");
});

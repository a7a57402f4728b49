import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubApiError, GitHubOAuth } from "../../src/github/index.js";
import { CLIENT_ID, json, script, stubFetch, type Responder } from "./wire-stub.js";

const TOKEN = "gho_orgs_token_0123456789";

function setup(responder: Responder, options: { apiUrl?: string } = {}) {
  const stub = stubFetch(responder);
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch, ...options });
  return { github, calls: stub.calls };
}

const org = (id: number, login: string) => ({ login, id, node_id: `O_${id}`, url: "x", avatar_url: `https://a/${id}`, description: null });

test("listOrgs: GET /user/orgs?per_page=100 with Bearer; follows Link rel=next", async () => {
  const { github, calls } = setup(script(
    json([org(1, "acme")], 200, { link: '<https://api.github.com/user/orgs?per_page=100&page=2>; rel="next", <https://api.github.com/user/orgs?per_page=100&page=2>; rel="last"' }),
    json([org(2, "globex")]),
  ));
  assert.deepEqual(await github.listOrgs(TOKEN), [
    { id: 1, login: "acme", nodeId: "O_1", avatarUrl: "https://a/1", description: null },
    { id: 2, login: "globex", nodeId: "O_2", avatarUrl: "https://a/2", description: null },
  ]);
  assert.equal(calls[0]!.url.href, "https://api.github.com/user/orgs?per_page=100");
  assert.equal(calls[1]!.url.href, "https://api.github.com/user/orgs?per_page=100&page=2");
  for (const c of calls) assert.equal(c.headers.get("authorization"), `Bearer ${TOKEN}`);
});

test("listOrgs never follows a Link to another host with the token", async () => {
  const { github, calls } = setup(script(json([org(1, "acme")], 200, { link: '<https://evil.example/user/orgs?page=2>; rel="next"' })));
  assert.equal((await github.listOrgs(TOKEN)).length, 1);
  assert.equal(calls.length, 1);
});

test("getOrgMembership: active admin; pending kept as pending; 404 -> null", async () => {
  const { github, calls } = setup(script(
    json({ state: "active", role: "admin", organization: { login: "acme" }, user: { login: "octocat" } }),
    json({ state: "pending", role: "member" }),
    json({ message: "Not Found" }, 404),
  ));
  assert.deepEqual(await github.getOrgMembership(TOKEN, "acme"), { state: "active", role: "admin" });
  assert.deepEqual(await github.getOrgMembership(TOKEN, "acme"), { state: "pending", role: "member" });
  assert.equal(await github.getOrgMembership(TOKEN, "acme"), null);
  assert.equal(calls[0]!.url.pathname, "/user/memberships/orgs/acme");
});

test("getOrgMembership: an unknown state is invalid_response; SSO 403 is forbidden, not null", async () => {
  const { github } = setup(script(json({ state: "maybe", role: "admin" }), json({ message: "Resource protected by organization SAML enforcement." }, 403, { "x-github-sso": "required; url=https://github.com/orgs/acme/sso" })));
  await assert.rejects(github.getOrgMembership(TOKEN, "acme"), (e: unknown) => e instanceof GitHubApiError && e.code === "invalid_response");
  await assert.rejects(github.getOrgMembership(TOKEN, "acme"), (e: unknown) => e instanceof GitHubApiError && e.code === "forbidden" && e.sso !== undefined);
});

test("getTeamMembership: path segments are encoded; maintainer; 404 -> null", async () => {
  const { github, calls } = setup(script(json({ state: "active", role: "maintainer", url: "x" }), json({ message: "Not Found" }, 404)), { apiUrl: "https://ghe.example.com/api/v3" });
  assert.deepEqual(await github.getTeamMembership(TOKEN, "acme", "core team", "octo/cat"), { state: "active", role: "maintainer" });
  assert.equal(await github.getTeamMembership(TOKEN, "acme", "admins", "octocat"), null);
  assert.equal(calls[0]!.url.href, "https://ghe.example.com/api/v3/orgs/acme/teams/core%20team/memberships/octo%2Fcat");
});

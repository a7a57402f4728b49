import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubApiError, GitHubOAuth, GitHubUsageError } from "../../src/github/index.js";
import { CLIENT_ID, CLIENT_SECRET, empty, json, script, stubFetch, type Recorded, type Responder } from "./wire-stub.js";

const TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
const SIMPLE_USER = { login: "octocat", id: 1, node_id: "MDQ6VXNlcjE=", avatar_url: "https://a/u/1", html_url: "https://github.com/octocat", type: "User", site_admin: false };
const AUTHORIZATION = { id: 1, url: "https://api.github.com/authorizations/1", scopes: ["read:user", "user:email"], token: TOKEN, token_last_eight: "8B4a", hashed_token: "x", app: { client_id: CLIENT_ID, name: "app", url: "https://x" }, note: null, note_url: null, updated_at: "2026-01-01T00:00:00Z", created_at: "2026-01-01T00:00:00Z", fingerprint: null, expires_at: null, user: SIMPLE_USER };

function setup(responder: Responder) {
  const stub = stubFetch(responder);
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: stub.fetch });
  return { github, calls: stub.calls };
}

function assertAppCall(req: Recorded, method: string, path: string): void {
  assert.equal(req.method, method);
  assert.equal(req.url.href, `https://api.github.com${path}`);
  assert.equal(req.headers.get("authorization"), `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`);
  assert.equal(req.headers.get("content-type"), "application/json");
  assert.equal(req.headers.get("accept"), "application/vnd.github+json");
  // The token goes in the JSON body, never in the URL (also for DELETE).
  assert.deepEqual(JSON.parse(req.body), { access_token: TOKEN });
  assert.ok(!req.url.href.includes(TOKEN));
}

test("checkToken: POST /applications/{client_id}/token with Basic auth -> scopes, user; expires_at null -> no expiresAt", async () => {
  const { github, calls } = setup(script(json(AUTHORIZATION)));
  const info = await github.checkToken(TOKEN);
  assert.deepEqual(info, { scopes: ["read:user", "user:email"], user: { id: 1, nodeId: "MDQ6VXNlcjE=", login: "octocat", name: null, email: null, avatarUrl: "https://a/u/1", htmlUrl: "https://github.com/octocat", type: "User", siteAdmin: false } });
  assertAppCall(calls[0]!, "POST", `/applications/${CLIENT_ID}/token`);
});

test("checkToken: expires_at is read as a Date; 404 (invalid token) is null; 422 is validation_failed", async () => {
  const { github } = setup(script(json({ ...AUTHORIZATION, expires_at: "2026-01-01T08:00:00Z" }), json({ message: "Not Found" }, 404), json({ message: "Invalid request." }, 422)));
  assert.equal((await github.checkToken(TOKEN))?.expiresAt?.toISOString(), "2026-01-01T08:00:00.000Z");
  assert.equal(await github.checkToken(TOKEN), null);
  await assert.rejects(github.checkToken(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "validation_failed" && !e.message.includes(TOKEN));
});

test("checkToken: a body without scopes is invalid_response", async () => {
  const { github } = setup(script(json({ ...AUTHORIZATION, scopes: "repo" })));
  await assert.rejects(github.checkToken(TOKEN), (e: unknown) => e instanceof GitHubApiError && e.code === "invalid_response");
});

test("resetToken: PATCH returns the new token", async () => {
  const { github, calls } = setup(script(json({ ...AUTHORIZATION, token: "gho_new" })));
  assert.equal(await github.resetToken(TOKEN), "gho_new");
  assertAppCall(calls[0]!, "PATCH", `/applications/${CLIENT_ID}/token`);
});

test("revokeToken: DELETE with a JSON body -> true on 204, false on 404 (already gone)", async () => {
  const { github, calls } = setup(script(empty(204), json({ message: "Not Found" }, 404)));
  assert.equal(await github.revokeToken(TOKEN), true);
  assert.equal(await github.revokeToken(TOKEN), false);
  assertAppCall(calls[0]!, "DELETE", `/applications/${CLIENT_ID}/token`);
});

test("revokeGrant: DELETE /applications/{client_id}/grant", async () => {
  const { github, calls } = setup(script(empty(204)));
  assert.equal(await github.revokeGrant(TOKEN), true);
  assertAppCall(calls[0]!, "DELETE", `/applications/${CLIENT_ID}/grant`);
});

test("the token API without a clientSecret is client_secret_required, before any request", async () => {
  const stub = stubFetch(script());
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch });
  for (const call of [() => github.checkToken(TOKEN), () => github.resetToken(TOKEN), () => github.revokeToken(TOKEN), () => github.revokeGrant(TOKEN)]) {
    await assert.rejects(call(), (e: unknown) => e instanceof GitHubUsageError && e.code === "client_secret_required");
  }
  assert.equal(stub.calls.length, 0);
});

test("the client secret never shows in the client object or its JSON", () => {
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  assert.ok(!JSON.stringify(github).includes(CLIENT_SECRET));
  assert.ok(!Object.values(github).some((v) => v === CLIENT_SECRET));
});

/**
 * GitHub's official clients, unpatched, against the emulator. `@octokit/oauth-methods` derives the
 * web base from `baseUrl: <url>/api/v3` the way it does for GitHub Enterprise Server.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  checkToken,
  createDeviceCode,
  deleteAuthorization,
  deleteToken,
  exchangeDeviceCode,
  exchangeWebFlowCode,
  refreshToken,
  resetToken,
} from "@octokit/oauth-methods";
import { createOAuthDeviceAuth } from "@octokit/auth-oauth-device";
import { request as octokitRequest } from "@octokit/request";
import { startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, getCode } from "./helpers.js";
import { aheadClock } from "../support/clock.js";

let gh: GitHubEmulatorHandle;
// The emulator's clock: real time (auth-oauth-device polls for real), moved past the polling
// interval by the device test instead of sleeping.
const clock = aheadClock();
let request: typeof octokitRequest;
const GH_APP = { clientId: "Iv1.conformance", clientSecret: "gh-app-secret", kind: "github-app" as const, name: "Conformance App", callbackUrls: [CALLBACK] };

before(async () => {
  gh = await startGitHubEmulator({
    autoApprove: "octocat",
    deviceInterval: 1,
    now: clock.now,
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: "Gatehouse Dev", callbackUrls: ["http://127.0.0.1/"] }, GH_APP],
  });
  request = octokitRequest.defaults({ baseUrl: gh.apiUrl });
});
after(() => gh.close());

/** Octokit throws RequestError; its status is what we assert on. */
async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    return typeof err === "object" && err !== null && "status" in err && typeof err.status === "number" ? err.status : -1;
  }
}

test("exchangeWebFlowCode gets an OAuth-app token and its scopes", async () => {
  const code = await getCode(gh, { scope: "read:org" });
  const { authentication } = await exchangeWebFlowCode({ clientType: "oauth-app", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUrl: CALLBACK, request });
  assert.match(authentication.token, /^gho_[A-Za-z0-9]{36}$/);
  assert.deepEqual(authentication.scopes, ["read:org"]);
});

test("exchangeWebFlowCode rejects a reused code with bad_verification_code", async () => {
  const code = await getCode(gh);
  await exchangeWebFlowCode({ clientType: "oauth-app", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, request });
  await assert.rejects(exchangeWebFlowCode({ clientType: "oauth-app", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, request }), /bad_verification_code/);
});

test("checkToken, resetToken, deleteToken and deleteAuthorization manage OAuth-app tokens", async () => {
  const base = { clientType: "oauth-app" as const, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, request };
  const first = await exchangeWebFlowCode({ ...base, code: await getCode(gh, { scope: "user:email" }) });
  const checked = await checkToken({ ...base, token: first.authentication.token });
  assert.equal(checked.data.user?.login, "octocat");
  // GitHub grants the union of everything the user granted this app (read:org came earlier).
  assert.ok(checked.authentication.scopes.includes("user:email"));

  const reset = await resetToken({ ...base, token: first.authentication.token });
  assert.notEqual(reset.authentication.token, first.authentication.token);
  assert.equal(await status(checkToken({ ...base, token: first.authentication.token })), 404, "the old token dies on reset");
  assert.equal(await status(checkToken({ ...base, token: reset.authentication.token })), 200);

  const deleted = await deleteToken({ ...base, token: reset.authentication.token });
  assert.equal(deleted.status, 204);
  assert.equal(await status(checkToken({ ...base, token: reset.authentication.token })), 404);

  const a = await exchangeWebFlowCode({ ...base, code: await getCode(gh) });
  const b = await exchangeWebFlowCode({ ...base, code: await getCode(gh, { scope: "gist" }) });
  const revoked = await deleteAuthorization({ ...base, token: a.authentication.token });
  assert.equal(revoked.status, 204);
  assert.equal(await status(checkToken({ ...base, token: b.authentication.token })), 404, "deleting the grant revokes every token of the user for the app");
});

test("createDeviceCode and exchangeDeviceCode: pending, then a token after approval", async () => {
  const { data } = await createDeviceCode({ clientType: "oauth-app", clientId: CLIENT_ID, scopes: ["read:org"], request });
  assert.match(data.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
  assert.equal(data.verification_uri, `${gh.url}/login/device`);
  await assert.rejects(exchangeDeviceCode({ clientType: "oauth-app", clientId: CLIENT_ID, code: data.device_code, request }), /authorization_pending/);
  gh.approveDevice(data.user_code, "monalisa");
  clock.advance(1000);
  const { authentication } = await exchangeDeviceCode({ clientType: "oauth-app", clientId: CLIENT_ID, code: data.device_code, request });
  assert.match(authentication.token, /^gho_/);
  assert.deepEqual(authentication.scopes, ["read:org"]);
});

test("refreshToken rotates a GitHub App's tokens: the old access and refresh tokens die", async () => {
  const base = { clientType: "github-app" as const, clientId: GH_APP.clientId, clientSecret: GH_APP.clientSecret, request };
  const { authentication: first } = await exchangeWebFlowCode({ ...base, code: await getCode(gh, { client_id: GH_APP.clientId }) });
  assert.match(first.token, /^ghu_/);
  assert.ok("refreshToken" in first, "a GitHub App's token comes with a refresh token");
  assert.match(first.refreshToken, /^ghr_/);
  assert.ok(Date.parse(first.expiresAt) > Date.now() + 7 * 3600_000, "expires in about 8 hours");

  const second = await refreshToken({ ...base, refreshToken: first.refreshToken });
  assert.notEqual(second.authentication.token, first.token);
  assert.equal(await status(checkToken({ ...base, token: first.token })), 404, "old access token revoked");
  await assert.rejects(refreshToken({ ...base, refreshToken: first.refreshToken }), /bad_refresh_token/);
  assert.equal(await status(checkToken({ ...base, token: second.authentication.token })), 200);
});

test("@octokit/auth-oauth-device completes a whole device flow, approved via the control API while it polls", async () => {
  let polls = 0;
  const auth = createOAuthDeviceAuth({
    clientType: "oauth-app",
    clientId: CLIENT_ID,
    scopes: ["user:email"],
    request,
    onVerification(verification) {
      // Approve once the client has polled and been told authorization_pending.
      const timer = setInterval(() => {
        const pending = gh.requests().filter((r) => r.route === "POST /login/oauth/access_token" && r.body !== null && typeof r.body === "object" && "grant_type" in r.body);
        polls = pending.length;
        if (polls >= 1) {
          clearInterval(timer);
          gh.approveDevice(verification.user_code, "octocat");
        }
      }, 20);
    },
  });
  const authentication = await auth({ type: "oauth" });
  assert.equal(authentication.type, "token");
  assert.match(authentication.token, /^gho_/);
  assert.ok(polls >= 1);
  const user = await request("GET /user", { headers: { authorization: `token ${authentication.token}` } });
  assert.equal(user.data.login, "octocat");
});

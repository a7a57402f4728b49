/** The GitHub port: every failure of the client reaches the domain as a GitHubPortError (that only the port imports the client is held by test/architecture). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubOAuth } from "../../src/github/index.js";
import { fromGitHubOAuth } from "../../src/users/index.js";
import { GitHubPortError, type GitHubPortErrorCode } from "../../src/users/github-port.js";
import { CLIENT_ID, CLIENT_SECRET, json, stubFetch, type Responder } from "../github/wire-stub.js";

function port(responder: Responder) {
  const { fetch } = stubFetch(responder);
  return fromGitHubOAuth(new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch, timeoutMs: 200 }));
}

async function failsWith(call: Promise<unknown>, code: GitHubPortErrorCode, more: Partial<GitHubPortError> = {}): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof GitHubPortError, `a GitHubPortError, got ${String(e)}`);
    assert.equal(e.code, code);
    for (const [key, value] of Object.entries(more)) assert.equal(e[key as keyof GitHubPortError], value, key);
    assert.ok(e.cause instanceof Error, "the client's error is kept as cause");
    return true;
  });
}

test("device-flow answers become port codes; slow_down keeps GitHub's interval", async () => {
  await failsWith(port(json({ error: "authorization_pending" })).pollDeviceTokenOnce("dc"), "authorization_pending");
  await failsWith(port(json({ error: "slow_down", interval: 10 })).pollDeviceTokenOnce("dc"), "slow_down", { interval: 10 });
  await failsWith(port(json({ error: "expired_token" })).pollDeviceTokenOnce("dc"), "expired");
  await failsWith(port(json({ error: "incorrect_device_code" })).pollDeviceTokenOnce("dc"), "expired");
  await failsWith(port(json({ error: "access_denied" })).pollDeviceTokenOnce("dc"), "access_denied");
  await failsWith(port(json({ error: "device_flow_disabled" }, 400)).requestDeviceCode(), "oauth_error", { detail: "device_flow_disabled" });
});

test("web-flow and refresh failures become port codes", async () => {
  await failsWith(port(json({ error: "bad_refresh_token" })).refreshToken("ghr_x"), "bad_refresh_token");
  const github = port(json({ error: "bad_verification_code" }));
  const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  await failsWith(github.handleCallback(new URLSearchParams({ code: "c", state: "s" }), { state: "s", codeVerifier: verifier }), "invalid_code");
  await failsWith(github.handleCallback(new URLSearchParams({ code: "c", state: "other" }), { state: "s", codeVerifier: verifier }), "state_mismatch");
  await failsWith(github.handleCallback(new URLSearchParams({ code: "c", state: "s", iss: "https://evil.example/login/oauth" }), { state: "s", codeVerifier: verifier }), "issuer_mismatch");
  await failsWith(github.handleCallback(new URLSearchParams({ state: "s" }), { state: "s", codeVerifier: verifier }), "missing_code");
  await failsWith(github.createAuthorizationUrl({ codeVerifier: "too-short" }), "misuse");
});

test("REST failures: rate limit with retryAfter, refusals with GitHub's code, outages, unreachable, timeout", async () => {
  const reset = String(Math.floor(Date.now() / 1000) + 120);
  await failsWith(port(json({ message: "API rate limit exceeded" }, 403, { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "retry-after": "30" })).getIdentity("gho_x"), "rate_limited", { retryAfter: 30 });
  await failsWith(port(json({ message: "Bad credentials" }, 401)).getIdentity("gho_x"), "refused", { detail: "bad_credentials" });
  await failsWith(port(json({ message: "boom" }, 502)).getIdentity("gho_x"), "unavailable");
  await failsWith(port(() => Promise.reject(new TypeError("fetch failed"))).getIdentity("gho_x"), "unreachable");
  const hanging: Responder = (req) => new Promise((_, reject) => req.signal?.addEventListener("abort", () => reject(req.signal?.reason)));
  await failsWith(port(hanging).getIdentity("gho_x"), "timeout");
});


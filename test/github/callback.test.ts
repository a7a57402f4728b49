import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubOAuth, GitHubOAuthError } from "../../src/github/index.js";
import { CLIENT_ID, CLIENT_SECRET, form, json, script, stubFetch } from "./wire-stub.js";

const STATE = "state-0123456789abcdefghijklmnopqrstuvwxyzAB";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CB = "http://127.0.0.1:3000/callback";

function client() {
  const stub = stubFetch(script(json({ access_token: "gho_abc", token_type: "bearer", scope: "read:user" })));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: CB, fetch: stub.fetch });
  return { github, calls: stub.calls };
}

async function rejectsWith(p: Promise<unknown>, code: string, calls: unknown[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof GitHubOAuthError, String(err));
    assert.equal(err.code, code);
    assert.ok(!err.message.includes(STATE) && !err.message.includes(VERIFIER) && !err.message.includes("the-code"));
    return true;
  });
  assert.equal(calls.length, 0, "no exchange after a failed check");
}

test("callback with code and state (no iss) is exchanged; accepted as URL, string, relative string, URLSearchParams and record", async () => {
  const inputs = [
    new URL(`${CB}?code=the-code&state=${STATE}`),
    `${CB}?code=the-code&state=${STATE}`,
    `/callback?code=the-code&state=${STATE}`,
    new URLSearchParams({ code: "the-code", state: STATE }),
    { code: "the-code", state: STATE },
  ];
  for (const input of inputs) {
    const { github, calls } = client();
    const tokens = await github.handleCallback(input, { state: STATE, codeVerifier: VERIFIER });
    assert.equal(tokens.accessToken, "gho_abc");
    assert.equal(calls.length, 1);
    assert.deepEqual(form(calls[0]!), { client_id: CLIENT_ID, code: "the-code", code_verifier: VERIFIER, client_secret: CLIENT_SECRET, redirect_uri: CB });
  }
});

test("callback with the right iss (RFC 9207, GitHub 2026) is accepted", async () => {
  const { github, calls } = client();
  await github.handleCallback(`${CB}?code=the-code&state=${STATE}&iss=${encodeURIComponent("https://github.com/login/oauth")}`, { state: STATE, codeVerifier: VERIFIER });
  assert.equal(calls.length, 1);
});

test("callback whose iss names another issuer is issuer_mismatch (mix-up defence)", async () => {
  const { github, calls } = client();
  await rejectsWith(github.handleCallback({ code: "the-code", state: STATE, iss: "https://evil.example/login/oauth" }, { state: STATE, codeVerifier: VERIFIER }), "issuer_mismatch", calls);
  await rejectsWith(github.handleCallback(`${CB}?code=the-code&state=${STATE}&iss=https://github.com/login/oauth&iss=https://evil.example`, { state: STATE, codeVerifier: VERIFIER }), "issuer_mismatch", calls);
});

test("iss is compared exactly (RFC 9207 §2.4: simple string comparison): near misses are issuer_mismatch", async () => {
  for (const iss of ["https://github.com/login/oauth/", "http://github.com/login/oauth", "https://GitHub.com/login/oauth", "https://github.com/login/oauth?x=1", "https://github.com", ""]) {
    const { github, calls } = client();
    await rejectsWith(github.handleCallback({ code: "the-code", state: STATE, iss }, { state: STATE, codeVerifier: VERIFIER }), "issuer_mismatch", calls);
  }
});

test("error params come first: access_denied with description and uri, even with a wrong state", async () => {
  const { github, calls } = client();
  const url = `${CB}?error=access_denied&error_description=The+user+has+denied+your+application+access.&error_uri=https%3A%2F%2Fdocs.github.com%2Fe&state=other`;
  await assert.rejects(github.handleCallback(url, { state: STATE, codeVerifier: VERIFIER }), (err: unknown) => {
    assert.ok(err instanceof GitHubOAuthError);
    assert.equal(err.code, "access_denied");
    assert.equal(err.description, "The user has denied your application access.");
    assert.equal(err.uri, "https://docs.github.com/e");
    return true;
  });
  assert.equal(calls.length, 0);
});

test("application_suspended and redirect_uri_mismatch callbacks keep GitHub's code", async () => {
  for (const code of ["application_suspended", "redirect_uri_mismatch"]) {
    const { github, calls } = client();
    await rejectsWith(github.handleCallback({ error: code, state: STATE }, { state: STATE, codeVerifier: VERIFIER }), code, calls);
  }
});

test("a wrong, missing, repeated or empty-expected state is state_mismatch and nothing is exchanged", async () => {
  const { github, calls } = client();
  await rejectsWith(github.handleCallback({ code: "the-code", state: STATE.slice(0, -1) + "C" }, { state: STATE, codeVerifier: VERIFIER }), "state_mismatch", calls);
  await rejectsWith(github.handleCallback({ code: "the-code" }, { state: STATE, codeVerifier: VERIFIER }), "state_mismatch", calls);
  await rejectsWith(github.handleCallback({ code: "the-code", state: [STATE, STATE] }, { state: STATE, codeVerifier: VERIFIER }), "state_mismatch", calls);
  await rejectsWith(github.handleCallback({ code: "the-code", state: "" }, { state: "", codeVerifier: VERIFIER }), "state_mismatch", calls);
  await rejectsWith(github.handleCallback({ code: "the-code", state: STATE + "x" }, { state: STATE, codeVerifier: VERIFIER }), "state_mismatch", calls);
});

test("state checked before iss, iss before code", async () => {
  const { github, calls } = client();
  await rejectsWith(github.handleCallback({ state: "wrong", iss: "https://evil.example" }, { state: STATE, codeVerifier: VERIFIER }), "state_mismatch", calls);
  await rejectsWith(github.handleCallback({ state: STATE, iss: "https://evil.example" }, { state: STATE, codeVerifier: VERIFIER }), "issuer_mismatch", calls);
  await rejectsWith(github.handleCallback({ state: STATE }, { state: STATE, codeVerifier: VERIFIER }), "missing_code", calls);
  await rejectsWith(github.handleCallback({ state: STATE, code: "" }, { state: STATE, codeVerifier: VERIFIER }), "missing_code", calls);
});

test("issuer follows the configured web base (GHES)", async () => {
  const stub = stubFetch(script(json({ access_token: "gho_abc", token_type: "bearer", scope: "" })));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, host: "ghe.example.com", fetch: stub.fetch });
  assert.equal(github.issuer, "https://ghe.example.com/login/oauth");
  await assert.rejects(github.handleCallback({ code: "c", state: STATE, iss: "https://github.com/login/oauth" }, { state: STATE, codeVerifier: VERIFIER }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "issuer_mismatch");
  await github.handleCallback({ code: "c", state: STATE, iss: "https://ghe.example.com/login/oauth" }, { state: STATE, codeVerifier: VERIFIER });
  assert.equal(stub.calls[0]!.url.href, "https://ghe.example.com/login/oauth/access_token");
});

test("a forged callback's error text cannot forge log lines: the message is one bounded line", async () => {
  const { github, calls } = client();
  const error = `access_denied\r\n2026-01-01 INFO admin signed in${"x".repeat(5000)}`;
  await assert.rejects(github.handleCallback({ error, error_description: "a\nb", state: STATE }, { state: STATE, codeVerifier: VERIFIER }), (err: unknown) => {
    assert.ok(err instanceof GitHubOAuthError);
    assert.doesNotMatch(err.message, /[\r\n]/);
    assert.ok(err.message.length < 1000, `message of ${err.message.length} characters`);
    return true;
  });
  assert.equal(calls.length, 0);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { createHash } from "node:crypto";
import { GitHubOAuth, GitHubUsageError, createCodeChallenge, createCodeVerifier } from "../../src/github/index.js";
import type { Sha256 } from "../../src/github/index.js";
import { CLIENT_ID } from "./wire-stub.js";

const github = new GitHubOAuth({ clientId: CLIENT_ID, redirectUri: "http://127.0.0.1:3000/callback" });

/** The challenge computed independently of the client, with Node's own Web Crypto. */
async function webCryptoChallenge(verifier: string): Promise<string> {
  const digest = new Uint8Array(await webcrypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return Buffer.from(digest).toString("base64url");
}

test("authorize URL carries client_id, redirect_uri, space-delimited scope, state and an S256 challenge", async () => {
  const { url, state, codeVerifier } = await github.createAuthorizationUrl();
  assert.equal(url.origin + url.pathname, "https://github.com/login/oauth/authorize");
  const q = url.searchParams;
  assert.equal(q.get("client_id"), CLIENT_ID);
  assert.equal(q.get("redirect_uri"), "http://127.0.0.1:3000/callback");
  assert.equal(q.get("scope"), "read:user user:email");
  assert.equal(q.get("state"), state);
  assert.equal(q.get("code_challenge_method"), "S256");
  assert.equal(q.get("code_challenge"), await webCryptoChallenge(codeVerifier));
  assert.equal(q.get("code_challenge")?.length, 43);
  // The verifier itself never goes into the URL.
  assert.ok(!url.href.includes(codeVerifier));
  assert.equal(q.has("allow_signup"), false);
  assert.equal(q.has("prompt"), false);
});

test("state and verifier are 32 random bytes (43 base64url chars) and differ on every call", async () => {
  const a = await github.createAuthorizationUrl();
  const b = await github.createAuthorizationUrl();
  for (const v of [a.state, a.codeVerifier, b.state, b.codeVerifier]) assert.match(v, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.state, b.state);
  assert.notEqual(a.codeVerifier, b.codeVerifier);
  assert.notEqual(a.state, a.codeVerifier);
});

test("login, allow_signup=false, prompt=select_account, per-call scopes and redirect_uri are sent", async () => {
  const { url } = await github.createAuthorizationUrl({
    login: "octocat",
    allowSignup: false,
    prompt: "select_account",
    scopes: ["repo", "read:org"],
    redirectUri: "http://127.0.0.1:3000/callback/other",
    state: "caller-state-value",
  });
  const q = url.searchParams;
  assert.equal(q.get("login"), "octocat");
  assert.equal(q.get("allow_signup"), "false");
  assert.equal(q.get("prompt"), "select_account");
  assert.equal(q.get("scope"), "repo read:org");
  assert.equal(q.get("redirect_uri"), "http://127.0.0.1:3000/callback/other");
  assert.equal(q.get("state"), "caller-state-value");
});

test("empty scopes send no scope parameter (GitHub then reuses the earlier grant without consent)", async () => {
  const { url } = await github.createAuthorizationUrl({ scopes: [] });
  assert.equal(url.searchParams.has("scope"), false);
});

test("a sha256 option computes the challenge instead of Web Crypto, to the RFC's example; one that returns no 32-byte digest is refused", async () => {
  const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const hashed: string[] = [];
  const sha256 = (data: Uint8Array) => {
    hashed.push(new TextDecoder().decode(data));
    return createHash("sha256").update(data).digest();
  };
  const withHook = new GitHubOAuth({ clientId: CLIENT_ID, sha256 });
  const { url } = await withHook.createAuthorizationUrl({ codeVerifier: verifier });
  assert.equal(url.searchParams.get("code_challenge"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  assert.equal(await createCodeChallenge(verifier, sha256), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  assert.deepEqual(hashed, [verifier, verifier]);
  const short = new GitHubOAuth({ clientId: CLIENT_ID, sha256: (data) => data.slice(0, 16) });
  await assert.rejects(short.createAuthorizationUrl(), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_option");
  assert.throws(() => new GitHubOAuth({ clientId: CLIENT_ID, sha256: "sha-256" as unknown as Sha256 }), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_option");
});

test("no redirectUri configured: redirect_uri is omitted so GitHub uses the registered callback", async () => {
  const bare = new GitHubOAuth({ clientId: CLIENT_ID });
  assert.equal((await bare.createAuthorizationUrl()).url.searchParams.has("redirect_uri"), false);
});

test("a caller's code verifier is checked against RFC 7636 and its challenge matches the RFC's example", async () => {
  // RFC 7636 Appendix B.
  const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const { url } = await github.createAuthorizationUrl({ codeVerifier: verifier });
  assert.equal(url.searchParams.get("code_challenge"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  assert.equal(await createCodeChallenge(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const fresh = createCodeVerifier();
  assert.match(fresh, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await createCodeChallenge(fresh), await webCryptoChallenge(fresh));
  await assert.rejects(createCodeChallenge("too-short"), GitHubUsageError);
  await assert.rejects(github.createAuthorizationUrl({ codeVerifier: "too-short" }), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_argument" && !e.message.includes("too-short"));
  await assert.rejects(github.createAuthorizationUrl({ codeVerifier: "a".repeat(42) + "!" }), GitHubUsageError);
});

test("a redirectUri that is not an absolute http(s) URL is refused", async () => {
  await assert.rejects(github.createAuthorizationUrl({ redirectUri: "/callback" }), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_argument");
  assert.throws(() => new GitHubOAuth({ clientId: CLIENT_ID, redirectUri: "javascript:alert(1)" }), GitHubUsageError);
});

test("scopes containing separators are refused rather than silently merged or split", async () => {
  await assert.rejects(github.createAuthorizationUrl({ scopes: ["repo gist"] }), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_argument" && /scopes/.test(e.message));
  await assert.rejects(github.createAuthorizationUrl({ scopes: ["repo,gist"] }), GitHubUsageError);
});

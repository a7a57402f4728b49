import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubApiError, GitHubNetworkError, GitHubOAuth, GitHubOAuthError } from "../../src/github/index.js";
import { authorize, CALLBACK, setup } from "./emulator-setup.js";

test("whole web flow: authorize (PKCE) -> callback with code, state and iss -> token -> verified identity", async () => {
  const { gh, github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github);
  assert.equal(callback.origin + callback.pathname, CALLBACK);
  assert.equal(callback.searchParams.get("state"), state);
  assert.equal(callback.searchParams.get("iss"), `${gh.url}/login/oauth`);
  const tokens = await github.handleCallback(callback, { state, codeVerifier });
  assert.match(tokens.accessToken, /^gho_/);
  assert.equal(tokens.tokenType, "bearer");
  assert.deepEqual(tokens.scopes, ["read:user", "user:email"]);
  assert.equal(tokens.expiresAt, undefined);
  const identity = await github.getIdentity(tokens.accessToken);
  assert.equal(identity.user.id, 583231);
  assert.equal(identity.user.login, "octocat");
  assert.equal(identity.email, "octocat@github.com");
  assert.deepEqual(identity.scopes, ["read:user", "user:email"]);
  // What went over the wire: the verifier in the exchange, the UA and API version everywhere.
  const exchange = gh.requests().find((r) => r.route === "POST /login/oauth/access_token");
  assert.ok(exchange);
  assert.equal(exchange.status, 200);
  assert.ok(exchange.body && typeof exchange.body === "object" && "code_verifier" in exchange.body);
  for (const r of gh.requests().filter((r) => r.route !== "GET /login/oauth/authorize")) {
    assert.equal(r.headers["user-agent"], "gatehouse");
    assert.equal(r.headers["x-github-api-version"], "2022-11-28");
  }
});

test("the API under /api/v3 (GHES layout) works the same", async () => {
  const { gh } = await setup();
  const app = gh.apps()[0]!;
  const github = new GitHubOAuth({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: CALLBACK, webUrl: gh.url, apiUrl: gh.apiUrl });
  const { callback, state, codeVerifier } = await authorize(github);
  const tokens = await github.handleCallback(callback.href, { state, codeVerifier });
  assert.equal((await github.getUser(tokens.accessToken)).login, "octocat");
  assert.ok(gh.requests().some((r) => r.path === "/api/v3/user"));
});

test("a code is single use: the second exchange is bad_verification_code", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github);
  await github.handleCallback(callback, { state, codeVerifier });
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "bad_verification_code");
});

test("a wrong PKCE verifier is refused by the token endpoint (an error body, whatever its code)", async () => {
  const { github } = await setup();
  const { callback, state } = await authorize(github);
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier: (await github.createAuthorizationUrl()).codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code !== "invalid_response" && e.status === 200);
});

test("a forged callback (other state) is state_mismatch and never reaches the token endpoint", async () => {
  const { gh, github } = await setup();
  const { callback, codeVerifier } = await authorize(github);
  const before = gh.requests().length;
  await assert.rejects(github.handleCallback(callback, { state: "the-state-this-browser-started-with", codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "state_mismatch");
  assert.equal(gh.requests().length, before);
});

test("a client configured for another GitHub rejects this emulator's iss (issuer_mismatch)", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github);
  const other = new GitHubOAuth({ clientId: github.clientId, webUrl: "http://127.0.0.1:1" });
  await assert.rejects(other.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "issuer_mismatch");
});

test("a wrong client secret is incorrect_client_credentials (sent with HTTP 200)", async () => {
  const { gh } = await setup();
  const github = new GitHubOAuth({ clientId: gh.apps()[0]!.clientId, clientSecret: "wrong-secret", redirectUri: CALLBACK, webUrl: gh.url, apiUrl: gh.url });
  const { callback, state, codeVerifier } = await authorize(github);
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "incorrect_client_credentials" && e.status === 200 && !e.message.includes("wrong-secret"));
});

test("a different redirect_uri at the exchange is redirect_uri_mismatch", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github);
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier, redirectUri: "http://127.0.0.1:3000/callback/other" }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "redirect_uri_mismatch");
});

test("a redirect_uri GitHub refuses comes back as an error callback: redirect_uri_mismatch", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github, { redirectUri: "http://evil.example/callback" });
  assert.notEqual(callback.hostname, "evil.example");
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "redirect_uri_mismatch" && typeof e.description === "string");
});

test("a suspended app: application_suspended in the callback", async () => {
  const app = { clientId: "Ov23liSuspended", clientSecret: "sus-secret", callbackUrls: ["http://127.0.0.1/"], suspended: true };
  const { github } = await setup({ apps: [app] });
  const { callback, state, codeVerifier } = await authorize(github);
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "application_suspended");
});

test("a user without a verified primary email: unverified_user_email at the exchange", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github, { login: "newbie" });
  await assert.rejects(github.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "unverified_user_email");
});

test("private profile email: getUser has email null, getIdentity has the primary verified one, not the unverified", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github, { login: "monalisa" });
  const tokens = await github.handleCallback(callback, { state, codeVerifier });
  assert.equal((await github.getUser(tokens.accessToken)).email, null);
  const emails = await github.getEmails(tokens.accessToken);
  assert.deepEqual(emails.map((e) => [e.email, e.primary, e.verified]), [["mona@example.com", true, true], ["mona@old.example.com", false, false]]);
  assert.equal((await github.getIdentity(tokens.accessToken)).email, "mona@example.com");
});

test("a token without user:email: getIdentity gives email null, getEmails throws", async () => {
  const { github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github, { scopes: ["read:user"] });
  const tokens = await github.handleCallback(callback, { state, codeVerifier });
  assert.deepEqual(tokens.scopes, ["read:user"]);
  const identity = await github.getIdentity(tokens.accessToken);
  assert.equal(identity.user.login, "octocat");
  assert.equal(identity.email, null);
  await assert.rejects(github.getEmails(tokens.accessToken), GitHubApiError);
});

test("renamed user: same id, new login (identity is the id)", async () => {
  const { gh, github } = await setup();
  const { callback, state, codeVerifier } = await authorize(github);
  const tokens = await github.handleCallback(callback, { state, codeVerifier });
  gh.renameUser("octocat", "octocat-renamed");
  const user = await github.getUser(tokens.accessToken);
  assert.deepEqual([user.id, user.login], [583231, "octocat-renamed"]);
});

test("expiring tokens (GitHub App): refresh rotates; the old refresh token then gets bad_refresh_token", async () => {
  const app = { clientId: "Iv1.gatehousetest", clientSecret: "app-secret", kind: "github-app" as const, callbackUrls: [CALLBACK] };
  const { github } = await setup({ apps: [app] });
  const { callback, state, codeVerifier } = await authorize(github);
  const tokens = await github.handleCallback(callback, { state, codeVerifier });
  assert.match(tokens.accessToken, /^ghu_/);
  assert.deepEqual(tokens.scopes, []);
  assert.ok(tokens.expiresAt && tokens.refreshToken && tokens.refreshTokenExpiresAt);
  assert.ok(Math.abs(tokens.expiresAt.getTime() - Date.now() - 28800_000) < 60_000);
  const next = await github.refreshToken(tokens.refreshToken);
  assert.notEqual(next.accessToken, tokens.accessToken);
  assert.notEqual(next.refreshToken, tokens.refreshToken);
  assert.equal((await github.getUser(next.accessToken)).login, "octocat");
  await assert.rejects(github.getUser(tokens.accessToken), (e: unknown) => e instanceof GitHubApiError && e.code === "bad_credentials");
  await assert.rejects(github.refreshToken(tokens.refreshToken), (e: unknown) => e instanceof GitHubOAuthError && e.code === "bad_refresh_token");
});

test("token endpoint faults: 5xx -> server_error, malformed body -> invalid_response, slow -> timeout", async () => {
  const { gh, github } = await setup();
  const fast = new GitHubOAuth({ clientId: github.clientId, clientSecret: gh.apps()[0]!.clientSecret, redirectUri: CALLBACK, webUrl: gh.url, apiUrl: gh.url, timeoutMs: 100 });
  gh.injectFault("POST /login/oauth/access_token", { status: 502 });
  let a = await authorize(github);
  await assert.rejects(github.handleCallback(a.callback, a), (e: unknown) => e instanceof GitHubOAuthError && e.code === "server_error" && e.status === 502);
  gh.injectFault("POST /login/oauth/access_token", { malformed: true });
  a = await authorize(github);
  await assert.rejects(github.handleCallback(a.callback, a), (e: unknown) => e instanceof GitHubOAuthError && e.code === "invalid_response");
  gh.injectFault("POST /login/oauth/access_token", { delayMs: 1000 });
  a = await authorize(fast);
  await assert.rejects(fast.handleCallback(a.callback, a), (e: unknown) => e instanceof GitHubNetworkError && e.code === "timeout");
});

test("the emulator's form (Accept */*) and XML token responses are read like JSON ones", async () => {
  const { gh } = await setup();
  const app = gh.apps()[0]!;
  for (const accept of ["*/*", "application/xml"]) {
    // A proxy that rewrites Accept: GitHub then answers in another format.
    const github = new GitHubOAuth({
      clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: CALLBACK, webUrl: gh.url, apiUrl: gh.url,
      fetch: (url, init) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Accept: accept } }),
    });
    const { callback, state, codeVerifier } = await authorize(github);
    const tokens = await github.handleCallback(callback, { state, codeVerifier });
    assert.match(tokens.accessToken, /^gho_/, accept);
    assert.deepEqual(tokens.scopes, ["read:user", "user:email"]);
    await assert.rejects(github.handleCallback(callback, { state, codeVerifier }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "bad_verification_code", accept);
  }
});

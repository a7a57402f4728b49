import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubOAuth, GitHubOAuthError } from "../../src/github/index.js";
import { CLIENT_ID, CLIENT_SECRET, form, json, script, stubFetch, text } from "./wire-stub.js";

const NOW = Date.UTC(2026, 0, 1);
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CODE = "code-1234567890abcdef";

function client(...responses: Array<() => Response>) {
  const stub = stubFetch(script(...responses));
  const github = new GitHubOAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: "http://127.0.0.1:3000/callback",
    fetch: stub.fetch,
    now: () => NOW,
  });
  return { github, calls: stub.calls };
}

function assertNoSecrets(err: unknown, ...secrets: string[]): true {
  assert.ok(err instanceof Error);
  const seen = `${err.message} ${String(err.stack)} ${JSON.stringify(err)}`;
  for (const s of [CLIENT_SECRET, VERIFIER, CODE, ...secrets]) assert.ok(!seen.includes(s), "error text carries a secret");
  return true;
}

test("code exchange: POST form body with client credentials, code, verifier, redirect_uri; Accept JSON; UA and API version", async () => {
  const { github, calls } = client(json({ access_token: "gho_abc", token_type: "bearer", scope: "read:user,user:email" }));
  const tokens = await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER });
  assert.deepEqual(tokens, { accessToken: "gho_abc", tokenType: "bearer", scopes: ["read:user", "user:email"] });
  const [req] = calls;
  assert.ok(req);
  assert.equal(req.method, "POST");
  assert.equal(req.url.href, "https://github.com/login/oauth/access_token");
  assert.equal(req.headers.get("content-type"), "application/x-www-form-urlencoded");
  assert.equal(req.headers.get("accept"), "application/json");
  assert.equal(req.headers.get("user-agent"), "gatehouse");
  assert.equal(req.headers.get("x-github-api-version"), "2022-11-28");
  assert.deepEqual(form(req), {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    code: CODE,
    code_verifier: VERIFIER,
    redirect_uri: "http://127.0.0.1:3000/callback",
  });
  // Secrets travel in the body, never in the URL.
  assert.equal(req.url.search, "");
});

test("token response in form encoding (GitHub's default format) is parsed", async () => {
  const { github } = client(text("access_token=gho_form&scope=repo%2Cgist&token_type=bearer", "application/x-www-form-urlencoded; charset=utf-8"));
  assert.deepEqual(await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), { accessToken: "gho_form", tokenType: "bearer", scopes: ["repo", "gist"] });
});

test("token response in XML is parsed, entities decoded", async () => {
  const { github } = client(text("<OAuth><token_type>bearer</token_type><scope>repo,gist</scope><access_token>gho_x&amp;ml</access_token></OAuth>", "application/xml"));
  assert.deepEqual(await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), { accessToken: "gho_x&ml", tokenType: "bearer", scopes: ["repo", "gist"] });
});

test("the body format wins over a lying Content-Type (JSON labelled text/html, form labelled JSON)", async () => {
  const a = client(text('{"access_token":"gho_json","token_type":"bearer","scope":""}', "text/html"));
  assert.equal((await a.github.exchangeCode({ code: CODE, codeVerifier: VERIFIER })).accessToken, "gho_json");
  const b = client(text("access_token=gho_form2&token_type=bearer&scope=", "application/json"));
  assert.equal((await b.github.exchangeCode({ code: CODE, codeVerifier: VERIFIER })).accessToken, "gho_form2");
});

test("scopes split on commas and on spaces; GitHub App tokens have scope \"\" -> []", async () => {
  const a = client(json({ access_token: "t", token_type: "bearer", scope: "repo, gist user" }));
  assert.deepEqual((await a.github.exchangeCode({ code: CODE, codeVerifier: VERIFIER })).scopes, ["repo", "gist", "user"]);
  const b = client(json({ access_token: "t", token_type: "bearer", scope: "" }));
  assert.deepEqual((await b.github.exchangeCode({ code: CODE, codeVerifier: VERIFIER })).scopes, []);
});

test("an error sent with HTTP 200 is an error (bad_verification_code), in JSON, form and XML", async () => {
  const bodies = [
    json({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired.", error_uri: "https://docs.github.com/x" }),
    text("error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2Fx", "application/x-www-form-urlencoded"),
    text("<OAuth><error>bad_verification_code</error><error_description>The code passed is incorrect or expired.</error_description><error_uri>https://docs.github.com/x</error_uri></OAuth>", "application/xml"),
  ];
  for (const body of bodies) {
    const { github } = client(body);
    await assert.rejects(github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), (err: unknown) => {
      assert.ok(err instanceof GitHubOAuthError);
      assert.equal(err.code, "bad_verification_code");
      assert.equal(err.status, 200);
      assert.equal(err.description, "The code passed is incorrect or expired.");
      assert.equal(err.uri, "https://docs.github.com/x");
      assert.equal(err.name, "GitHubOAuthError");
      return assertNoSecrets(err);
    });
  }
});

test("an error body wins even next to an access_token", async () => {
  const { github } = client(json({ error: "incorrect_client_credentials", access_token: "gho_should_not_be_used" }));
  await assert.rejects(github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), (err: unknown) => err instanceof GitHubOAuthError && err.code === "incorrect_client_credentials" && assertNoSecrets(err, "gho_should_not_be_used"));
});

test("a 200 body without access_token is invalid_response, never a TokenSet with undefined", async () => {
  for (const body of [json({ token_type: "bearer", scope: "repo" }), json({ access_token: "", token_type: "bearer" }), json({ access_token: 42 }), text("", "application/json"), text("<html>oops</html>", "text/html"), text("[1,2]", "application/json")]) {
    const { github } = client(body);
    await assert.rejects(github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), (err: unknown) => err instanceof GitHubOAuthError && err.code === "invalid_response" && assertNoSecrets(err));
  }
});

test("a 5xx without an OAuth error body is server_error", async () => {
  const { github } = client(text("<html>Unicorn!</html>", "text/html", 502));
  await assert.rejects(github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), (err: unknown) => err instanceof GitHubOAuthError && err.code === "server_error" && err.status === 502);
});

test("expiring tokens: expiresAt and refreshTokenExpiresAt from expires_in at receipt (numbers or strings)", async () => {
  const { github } = client(
    json({ access_token: "ghu_a", token_type: "bearer", scope: "", expires_in: 28800, refresh_token: "ghr_r", refresh_token_expires_in: 15897600 }),
    text("access_token=ghu_b&token_type=bearer&scope=&expires_in=28800&refresh_token=ghr_s&refresh_token_expires_in=15811200", "application/x-www-form-urlencoded"),
  );
  const a = await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER });
  assert.deepEqual(a, {
    accessToken: "ghu_a",
    tokenType: "bearer",
    scopes: [],
    expiresAt: new Date(NOW + 28800_000),
    refreshToken: "ghr_r",
    refreshTokenExpiresAt: new Date(NOW + 15897600_000),
  });
  const b = await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER });
  assert.equal(b.refreshTokenExpiresAt?.getTime(), NOW + 15811200_000);
});

test("a non-numeric expires_in is invalid_response", async () => {
  const { github } = client(json({ access_token: "ghu_a", token_type: "bearer", scope: "", expires_in: "soon" }));
  await assert.rejects(github.exchangeCode({ code: CODE, codeVerifier: VERIFIER }), (err: unknown) => err instanceof GitHubOAuthError && err.code === "invalid_response" && /expires_in/.test(err.message));
});

test("refresh: grant_type=refresh_token with client credentials; bad_refresh_token surfaces, not swallowed", async () => {
  const { github, calls } = client(
    json({ access_token: "ghu_new", token_type: "bearer", scope: "", expires_in: 28800, refresh_token: "ghr_new", refresh_token_expires_in: 15897600 }),
    json({ error: "bad_refresh_token", error_description: "The refresh token passed is incorrect or expired." }),
  );
  const next = await github.refreshToken("ghr_old");
  assert.equal(next.accessToken, "ghu_new");
  assert.equal(next.refreshToken, "ghr_new");
  assert.deepEqual(form(calls[0]!), { client_id: CLIENT_ID, grant_type: "refresh_token", refresh_token: "ghr_old", client_secret: CLIENT_SECRET });
  assert.equal(calls[0]!.url.pathname, "/login/oauth/access_token");
  await assert.rejects(github.refreshToken("ghr_old"), (err: unknown) => err instanceof GitHubOAuthError && err.code === "bad_refresh_token" && assertNoSecrets(err, "ghr_old"));
});

test("refresh without a client secret (device-flow tokens) sends no client_secret", async () => {
  const stub = stubFetch(script(json({ access_token: "ghu_new", token_type: "bearer", scope: "" })));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch });
  await github.refreshToken("ghr_old");
  assert.deepEqual(form(stub.calls[0]!), { client_id: CLIENT_ID, grant_type: "refresh_token", refresh_token: "ghr_old" });
});

test("exchange with a per-call redirectUri sends that one", async () => {
  const { github, calls } = client(json({ access_token: "gho_abc", token_type: "bearer", scope: "" }));
  await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER, redirectUri: "http://127.0.0.1:3000/callback/sub" });
  assert.equal(form(calls[0]!)["redirect_uri"], "http://127.0.0.1:3000/callback/sub");
});

test("custom userAgent and apiVersion are sent on the token endpoint", async () => {
  const stub = stubFetch(script(json({ access_token: "gho_abc", token_type: "bearer", scope: "" })));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: stub.fetch, userAgent: "my-app/1.0", apiVersion: "2026-03-10" });
  await github.exchangeCode({ code: CODE, codeVerifier: VERIFIER });
  assert.equal(stub.calls[0]!.headers.get("user-agent"), "my-app/1.0");
  assert.equal(stub.calls[0]!.headers.get("x-github-api-version"), "2026-03-10");
});

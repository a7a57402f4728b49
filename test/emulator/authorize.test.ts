/** The web flow's browser side: redirect-URI rules, PKCE, pages, consent, errors, and `iss`. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EmulatorError, startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { resolveRedirectUri } from "../../src/emulator/redirect-uri.js";
import { Browser } from "./browser.js";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, authorize, manualClock, pkcePair, tokenJson } from "./helpers.js";

let gh: GitHubEmulatorHandle;
const SUSPENDED = { clientId: "Ov23liSuspended", clientSecret: "x", suspended: true, callbackUrls: ["https://app.example/cb"] };
const HTTPS_APP = { clientId: "Ov23liHttps", clientSecret: "https-secret", name: "Secure App", callbackUrls: ["https://app.example/cb"] };

before(async () => {
  gh = await startGitHubEmulator({ apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: "Gatehouse Dev", callbackUrls: ["http://127.0.0.1/auth"] }, SUSPENDED, HTTPS_APP] });
});
after(() => gh.close());

test("redirect-URI rules for OAuth apps, docs/github-protocol.md §2's examples against http://example.com/path", () => {
  const cb = ["http://example.com/path"];
  for (const ok of ["http://example.com/path", "http://example.com/path/subdir/other", "http://oauth.example.com/path/subdir/other"]) {
    assert.equal(resolveRedirectUri("oauth-app", cb, ok), ok, ok);
  }
  for (const bad of ["http://example.com/bar", "http://example.com/", "http://example.com:8080/path", "http://oauth.example.com:8080/path", "http://example.org", "http://example.com/pathology", "https://example.com/path"]) {
    assert.equal(resolveRedirectUri("oauth-app", cb, bad), null, bad);
  }
});

test("redirect-URI rules: a loopback callback accepts any port; omitted uses the first callback", () => {
  assert.equal(resolveRedirectUri("oauth-app", ["http://127.0.0.1/path"], "http://127.0.0.1:1234/path"), "http://127.0.0.1:1234/path");
  assert.equal(resolveRedirectUri("oauth-app", ["http://[::1]/path"], "http://[::1]:9/path/x"), "http://[::1]:9/path/x");
  assert.equal(resolveRedirectUri("oauth-app", ["http://127.0.0.1/path"], "http://localhost:1234/path"), null, "localhost is not the loopback IP");
  assert.equal(resolveRedirectUri("oauth-app", ["http://a.example/1", "http://b.example/2"], undefined), "http://a.example/1");
});

test("redirect-URI rules: GitHub Apps need an exact match of a registered callback, no extra query", () => {
  const cbs = ["https://app.example/cb", "http://127.0.0.1:3000/cb"];
  assert.equal(resolveRedirectUri("github-app", cbs, "http://127.0.0.1:3000/cb"), "http://127.0.0.1:3000/cb");
  assert.equal(resolveRedirectUri("github-app", cbs, "https://app.example/cb/sub"), null);
  assert.equal(resolveRedirectUri("github-app", cbs, "https://app.example/cb?x=1"), null);
  assert.equal(resolveRedirectUri("github-app", cbs, undefined), "https://app.example/cb");
});

test("redirect_uri_mismatch redirects to the registered callback with error and state, never to the requested URI", async () => {
  const { res, location } = await authorize(gh, { redirect_uri: "http://evil.example/auth", state: "s1" });
  assert.equal(res.status, 302);
  assert.equal(location?.origin + (location?.pathname ?? ""), "http://127.0.0.1/auth");
  assert.equal(location?.searchParams.get("error"), "redirect_uri_mismatch");
  assert.equal(location?.searchParams.get("state"), "s1");
  assert.match(location?.searchParams.get("error_description") ?? "", /MUST match the registered callback/);
});

test("a suspended app gets application_suspended on its callback", async () => {
  const { location } = await authorize(gh, { client_id: SUSPENDED.clientId, state: "s2" });
  assert.equal(location?.searchParams.get("error"), "application_suspended");
  assert.equal(location?.searchParams.get("state"), "s2");
});

test("an unknown client_id gets a 404 page, not a redirect", async () => {
  const { res } = await authorize(gh, { client_id: "nope" });
  assert.equal(res.status, 404);
  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
});

test("PKCE: code_challenge_method=plain is refused; S256 is the only method", async () => {
  const { challenge } = pkcePair();
  for (const method of ["plain", undefined]) {
    const params: Record<string, string> = { redirect_uri: CALLBACK, state: "p", code_challenge: challenge };
    if (method) params["code_challenge_method"] = method;
    const { location } = await authorize(gh, params);
    assert.equal(location?.searchParams.get("error"), "invalid_request", String(method));
    assert.equal(location?.searchParams.get("state"), "p");
  }
  const { location } = await authorize(gh, { redirect_uri: CALLBACK, code_challenge: "too-short", code_challenge_method: "S256" });
  assert.equal(location?.searchParams.get("error"), "invalid_request");
});

test("pages: account picker, then consent naming app, account and scopes; Authorize redirects with code, state and iss", async () => {
  const browser = new Browser(gh.url);
  const { verifier, challenge } = pkcePair();
  const start = `/login/oauth/authorize?${new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: CALLBACK, state: "st8", scope: "read:org user:email", code_challenge: challenge, code_challenge_method: "S256" })}`;
  const picker = await browser.go(start);
  assert.match(picker.html, /<h1>Select an account<\/h1>/);
  assert.match(picker.html, /to continue to Gatehouse Dev/);
  const consent = await browser.click(picker.html, "monalisa");
  assert.match(consent.html, /<h1>Authorize Gatehouse Dev<\/h1>/);
  assert.match(consent.html, /Signed in as <strong>monalisa<\/strong>/);
  assert.match(consent.html, /<strong>read:org<\/strong>/);
  assert.match(consent.html, /<strong>user:email<\/strong>/);
  const done = await browser.click(consent.html, "Authorize Gatehouse Dev");
  assert.equal(done.res.status, 302);
  assert.equal(done.location?.origin + (done.location?.pathname ?? ""), CALLBACK);
  assert.equal(done.location?.searchParams.get("state"), "st8");
  assert.equal(done.location?.searchParams.get("iss"), `${gh.url}/login/oauth`);
  const body = await tokenJson(gh, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: done.location?.searchParams.get("code") ?? "", code_verifier: verifier });
  assert.equal(body["scope"], "read:org,user:email");
  const user = await fetch(`${gh.url}/user`, { headers: { authorization: `Bearer ${String(body["access_token"])}`, "user-agent": "t" } });
  assert.equal(((await user.json()) as { login: string }).login, "monalisa");
});

test("pages: Cancel redirects with access_denied and the state", async () => {
  const browser = new Browser(gh.url);
  const picker = await browser.go(`/login/oauth/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=c1&scope=gist`);
  const consent = await browser.click(picker.html, "hubot");
  const done = await browser.click(consent.html, "Cancel");
  assert.equal(done.location?.searchParams.get("error"), "access_denied");
  assert.equal(done.location?.searchParams.get("state"), "c1");
  assert.equal(done.location?.searchParams.get("code"), null);
});

test("pages: a consent POST without the page's CSRF token is refused", async () => {
  const browser = new Browser(gh.url);
  const picker = await browser.go(`/login/oauth/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=gist`);
  const consent = await browser.click(picker.html, "octocat");
  const forged = await browser.click(consent.html, "Authorize Gatehouse Dev", { authenticity_token: "forged" });
  assert.equal(forged.res.status, 403);
  assert.equal(forged.location, null);
});

test("an https app: a user who already granted the scopes skips consent; new scopes ask again; prompt=select_account forces the picker", async () => {
  const browser = new Browser(gh.url);
  const url = (extra: Record<string, string>) => `/login/oauth/authorize?${new URLSearchParams({ client_id: HTTPS_APP.clientId, state: "h", ...extra })}`;
  const picker = await browser.go(url({ scope: "read:org" }));
  const consent = await browser.click(picker.html, "octocat");
  const first = await browser.click(consent.html, "Authorize Secure App");
  assert.ok(first.location?.searchParams.get("code"));

  const again = await browser.go(url({ scope: "read:org" }));
  assert.ok(again.location?.searchParams.get("code"), "no picker (signed in, https) and no consent (already granted)");
  const noScope = await browser.go(url({}));
  assert.ok(noScope.location?.searchParams.get("code"), "no scope sent: the earlier grant is reused");
  const reused = await tokenJson(gh, { client_id: HTTPS_APP.clientId, client_secret: HTTPS_APP.clientSecret, code: noScope.location?.searchParams.get("code") ?? "" });
  assert.equal(reused["scope"], "read:org", "no scope sent: the token carries the scopes granted before");
  const more = await browser.go(url({ scope: "read:org gist" }));
  assert.match(more.html, /<h1>Authorize Secure App<\/h1>/, "a new scope asks for consent again");
  const forced = await browser.go(url({ scope: "read:org", prompt: "select_account" }));
  assert.match(forced.html, /<h1>Select an account<\/h1>/);
});

test("the hourly token-creation limit asks the user to re-authorize (consent again) instead of revoking; the 10-token cap revokes the oldest", async () => {
  const clock = manualClock(Date.UTC(2026, 0, 1));
  const em = await startGitHubEmulator({ now: clock.now, apps: [HTTPS_APP] });
  try {
    const browser = new Browser(em.url);
    const url = `/login/oauth/authorize?${new URLSearchParams({ client_id: HTTPS_APP.clientId, state: "h", scope: "read:org" })}`;
    const exchange = async (location: URL | null) =>
      (await tokenJson(em, { client_id: HTTPS_APP.clientId, client_secret: HTTPS_APP.clientSecret, code: location?.searchParams.get("code") ?? "" }))["access_token"] as string;
    const picker = await browser.go(url);
    const consent = await browser.click(picker.html, "octocat");
    const tokens = [await exchange((await browser.click(consent.html, "Authorize Secure App")).location)];
    for (let i = 1; i < 10; i++) {
      const again = await browser.go(url);
      assert.ok(again.location, `token ${i + 1}: consent skipped (already granted, under the hourly limit)`);
      tokens.push(await exchange(again.location));
    }
    const limited = await browser.go(url);
    assert.match(limited.html, /<h1>Authorize Secure App<\/h1>/, "the 11th within the hour: re-authorize in the browser");
    const user = (token: string) => fetch(`${em.url}/user`, { headers: { authorization: `Bearer ${token}`, "user-agent": "t" } });
    assert.equal((await user(tokens[0]!)).status, 200, "reaching the hourly limit revokes nothing");
    tokens.push(await exchange((await browser.click(limited.html, "Authorize Secure App")).location));
    assert.equal((await user(tokens[0]!)).status, 401, "an 11th token for the same user, app and scopes revokes the oldest");
    assert.equal((await user(tokens[1]!)).status, 200);
    clock.advance(60 * 60 * 1000 + 1);
    assert.ok((await browser.go(url)).location, "an hour later consent is skipped again");
  } finally {
    await em.close();
  }
});

test("autoApprove approves without pages, as the login= user when it names a seeded user", async () => {
  const auto = await startGitHubEmulator({ autoApprove: "octocat" });
  try {
    for (const [login, expected] of [[undefined, "octocat"], ["monalisa", "monalisa"], ["nobody-here", "octocat"]] as const) {
      const { location } = await authorize(auto, { redirect_uri: CALLBACK, ...(login ? { login } : {}) });
      const body = await tokenJson(auto, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: location?.searchParams.get("code") ?? "" });
      const checked = await fetch(`${auto.url}/user`, { headers: { authorization: `token ${String(body["access_token"])}`, "user-agent": "t" } });
      assert.equal(((await checked.json()) as { login: string }).login, expected);
    }
  } finally {
    await auto.close();
  }
});

test("up to 10 redirect URIs per app (GitHub Apps, and OAuth apps since 2026): the 10th is honoured, an 11th is refused at registration", async () => {
  const ten = Array.from({ length: 10 }, (_, i) => `https://app${i}.example/cb`);
  assert.equal(resolveRedirectUri("github-app", ten, "https://app9.example/cb"), "https://app9.example/cb");
  assert.equal(resolveRedirectUri("oauth-app", ten, "https://app9.example/cb/sub"), "https://app9.example/cb/sub");
  const eleven = [...ten, "https://app10.example/cb"];
  await assert.rejects(
    startGitHubEmulator({ apps: [{ clientId: "Ov23liEleven", clientSecret: "x", callbackUrls: eleven }] }),
    (e: unknown) => e instanceof EmulatorError && e.code === "invalid_option" && /callbackUrls/.test(e.message),
  );
});

test("allow_signup=false hides the sign-up offer on the account picker; login= marks the suggested account", async () => {
  const page = async (extra: Record<string, string>) => {
    const { res } = await authorize(gh, { redirect_uri: CALLBACK, state: "a", ...extra });
    assert.equal(res.status, 200);
    return res.text();
  };
  assert.match(await page({}), /New to GitHub\?/);
  assert.match(await page({ allow_signup: "true" }), /New to GitHub\?/);
  assert.doesNotMatch(await page({ allow_signup: "false" }), /New to GitHub\?/);
  assert.match(await page({ login: "monalisa" }), /value="monalisa">monalisa<\/button>[^<]*<span class="muted">[^<]*<\/span> <span class="muted">\(suggested\)<\/span>/);
});

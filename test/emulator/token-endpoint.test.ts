/** The token endpoint's GitHub quirks, each test named for the one it checks. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createGitHubEmulator, startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, getCode, manualClock, pkcePair, tokenJson, tokenRequest } from "./helpers.js";

const clock = manualClock();
let gh: GitHubEmulatorHandle;
const EXPIRING = { clientId: "Ov23liExpiring", clientSecret: "exp-secret", name: "Expiring", expiringTokens: true, callbackUrls: [CALLBACK] };

before(async () => {
  gh = await startGitHubEmulator({
    autoApprove: "octocat",
    now: clock.now,
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackUrls: ["http://127.0.0.1/"] }, EXPIRING],
  });
});
after(() => gh.close());

const creds = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };

test("form-encoded by default: no Accept, and Accept */*, both get application/x-www-form-urlencoded", async () => {
  for (const headers of [{}, { accept: "*/*" }]) {
    const res = await tokenRequest(gh, { ...creds, code: await getCode(gh, { scope: "user:email gist" }) }, headers);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/x-www-form-urlencoded/);
    const body = new URLSearchParams(await res.text());
    assert.match(body.get("access_token") ?? "", /^gho_/);
    assert.equal(body.get("token_type"), "bearer");
    assert.equal(body.get("scope"), "user:email,gist", "scopes are comma-separated");
  }
});

test("Accept: application/json gets JSON, Accept: application/xml gets GitHub's <OAuth> XML", async () => {
  const json = await tokenJson(gh, { ...creds, code: await getCode(gh) });
  assert.equal(json["token_type"], "bearer");
  assert.equal(typeof json["scope"], "string", "scope is always present");
  const xml = await tokenRequest(gh, { ...creds, code: await getCode(gh) }, { accept: "application/xml" });
  assert.match(xml.headers.get("content-type") ?? "", /^application\/xml/);
  assert.match(await xml.text(), /^<OAuth><access_token>gho_[A-Za-z0-9]+<\/access_token><token_type>bearer<\/token_type><scope>[^<]*<\/scope><\/OAuth>$/);
});

test("JSON request bodies are accepted like form bodies", async () => {
  const code = await getCode(gh);
  const res = await fetch(`${gh.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ ...creds, code }),
  });
  assert.match(String(((await res.json()) as Record<string, unknown>)["access_token"]), /^gho_/);
});

test("errors come back with HTTP 200 and error, error_description, error_uri", async () => {
  const res = await tokenRequest(gh, { ...creds, code: "not-a-code" }, { accept: "application/json" });
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body["error"], "bad_verification_code");
  assert.equal(typeof body["error_description"], "string");
  assert.match(String(body["error_uri"]), /^https:\/\/docs\.github\.com\//);
});

test("a wrong client secret is incorrect_client_credentials", async () => {
  const body = await tokenJson(gh, { client_id: CLIENT_ID, client_secret: "wrong", code: await getCode(gh) });
  assert.equal(body["error"], "incorrect_client_credentials");
});

test("client credentials in HTTP Basic auth work, with the scheme in any case", async () => {
  const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
  for (const scheme of ["Basic", "basic", "BASIC"]) {
    const res = await tokenRequest(gh, { code: await getCode(gh) }, { authorization: `${scheme} ${basic}`, accept: "application/json" });
    assert.match(String(((await res.json()) as Record<string, unknown>)["access_token"]), /^gho_/, scheme);
  }
});

test("credentials in the query string are ignored: secrets do not belong in URLs", async () => {
  const code = await getCode(gh);
  const res = await fetch(`${gh.url}/login/oauth/access_token?${new URLSearchParams({ client_secret: CLIENT_SECRET, code })}`, {
    method: "POST",
    headers: { accept: "application/json" },
    body: new URLSearchParams({ client_id: CLIENT_ID }),
  });
  assert.equal(((await res.json()) as Record<string, unknown>)["error"], "incorrect_client_credentials");
});

test("code reuse: a code is single-use, the second exchange gets bad_verification_code", async () => {
  const code = await getCode(gh);
  assert.match(String((await tokenJson(gh, { ...creds, code }))["access_token"]), /^gho_/);
  assert.equal((await tokenJson(gh, { ...creds, code }))["error"], "bad_verification_code");
});

test("code expiry via now: a code is dead 10 minutes after it was issued", async () => {
  const fresh = await getCode(gh);
  const stale = await getCode(gh);
  clock.advance(10 * 60 * 1000 - 1);
  assert.match(String((await tokenJson(gh, { ...creds, code: fresh }))["access_token"]), /^gho_/, "still valid just before 10 minutes");
  clock.advance(1);
  assert.equal((await tokenJson(gh, { ...creds, code: stale }))["error"], "bad_verification_code");
});

test("a code is bound to its client: another app's exchange gets bad_verification_code", async () => {
  const code = await getCode(gh);
  assert.equal((await tokenJson(gh, { client_id: EXPIRING.clientId, client_secret: EXPIRING.clientSecret, code }))["error"], "bad_verification_code");
});

test("redirect_uri at the token endpoint must equal the authorize request's, else redirect_uri_mismatch", async () => {
  const code = await getCode(gh);
  assert.equal((await tokenJson(gh, { ...creds, code, redirect_uri: "http://127.0.0.1:4567/other" }))["error"], "redirect_uri_mismatch");
  const ok = await getCode(gh);
  assert.match(String((await tokenJson(gh, { ...creds, code: ok, redirect_uri: CALLBACK }))["access_token"]), /^gho_/);
});

test("PKCE: the right verifier works; a missing or wrong verifier is an error and burns the code", async () => {
  const { verifier, challenge } = pkcePair();
  const good = await getCode(gh, { code_challenge: challenge, code_challenge_method: "S256" });
  assert.match(String((await tokenJson(gh, { ...creds, code: good, code_verifier: verifier }))["access_token"]), /^gho_/);

  const missing = await getCode(gh, { code_challenge: challenge, code_challenge_method: "S256" });
  assert.equal((await tokenJson(gh, { ...creds, code: missing }))["error"], "bad_verification_code");

  const mismatch = await getCode(gh, { code_challenge: challenge, code_challenge_method: "S256" });
  assert.equal((await tokenJson(gh, { ...creds, code: mismatch, code_verifier: pkcePair().verifier }))["error"], "bad_verification_code");
  assert.equal((await tokenJson(gh, { ...creds, code: mismatch, code_verifier: verifier }))["error"], "bad_verification_code", "a PKCE mismatch burns the code");
});

test("a user without a verified primary email gets unverified_user_email", async () => {
  const code = await getCode(gh, { login: "newbie" });
  assert.equal((await tokenJson(gh, { ...creds, code }))["error"], "unverified_user_email");
});

test("an unknown grant_type is unsupported_grant_type", async () => {
  assert.equal((await tokenJson(gh, { ...creds, grant_type: "password" }))["error"], "unsupported_grant_type");
});

test("offline_access makes an OAuth app's token expire with a ghr_ refresh token", async () => {
  const body = await tokenJson(gh, { ...creds, code: await getCode(gh, { scope: "read:org offline_access", login: "monalisa" }) });
  assert.equal(body["expires_in"], 28800);
  assert.match(String(body["refresh_token"]), /^ghr_/);
  assert.equal(typeof body["refresh_token_expires_in"], "number");
  assert.equal(body["scope"], "read:org", "offline_access asks for expiry; it is not a granted scope");
});

test("refresh rotation: the new pair works, the old access and refresh tokens die, scopes stay", async () => {
  const exp = { client_id: EXPIRING.clientId, client_secret: EXPIRING.clientSecret };
  const first = await tokenJson(gh, { ...exp, code: await getCode(gh, { client_id: EXPIRING.clientId, scope: "read:org" }) });
  const second = await tokenJson(gh, { ...exp, grant_type: "refresh_token", refresh_token: String(first["refresh_token"]) });
  assert.match(String(second["access_token"]), /^gho_/);
  assert.equal(second["scope"], "read:org");
  assert.equal((await tokenJson(gh, { ...exp, grant_type: "refresh_token", refresh_token: String(first["refresh_token"]) }))["error"], "bad_refresh_token");
  const user = (token: unknown) => fetch(`${gh.url}/user`, { headers: { authorization: `Bearer ${String(token)}`, "user-agent": "t" } });
  assert.equal((await user(first["access_token"])).status, 401);
  assert.equal((await user(second["access_token"])).status, 200);
});

test("two concurrent refreshes with one refresh token: one wins, the other gets bad_refresh_token", async () => {
  const exp = { client_id: EXPIRING.clientId, client_secret: EXPIRING.clientSecret };
  const first = await tokenJson(gh, { ...exp, code: await getCode(gh, { client_id: EXPIRING.clientId }) });
  const params = { ...exp, grant_type: "refresh_token", refresh_token: String(first["refresh_token"]) };
  const results = await Promise.all([tokenJson(gh, params), tokenJson(gh, params)]);
  assert.deepEqual(results.map((r) => (r["access_token"] ? "ok" : r["error"])).sort(), ["bad_refresh_token", "ok"]);
});

test("access tokens of expiring apps die after 8 hours; refresh tokens outlive them", async () => {
  const exp = { client_id: EXPIRING.clientId, client_secret: EXPIRING.clientSecret };
  const first = await tokenJson(gh, { ...exp, code: await getCode(gh, { client_id: EXPIRING.clientId }) });
  clock.advance(8 * 3600 * 1000);
  const res = await fetch(`${gh.url}/user`, { headers: { authorization: `Bearer ${String(first["access_token"])}`, "user-agent": "t" } });
  assert.equal(res.status, 401);
  assert.match(String((await tokenJson(gh, { ...exp, grant_type: "refresh_token", refresh_token: String(first["refresh_token"]) }))["access_token"]), /^gho_/);
});

test("the Date header follows the emulator's clock (clients compute expiry from it)", async () => {
  const res = await tokenRequest(gh, { ...creds, code: "x" });
  assert.equal(Date.parse(res.headers.get("date") ?? ""), Math.floor(clock.now() / 1000) * 1000);
});

test("at most 10 tokens per user, app and scope set: the 11th revokes the oldest", async () => {
  const tokens: string[] = [];
  for (let i = 0; i < 11; i++) tokens.push(String((await tokenJson(gh, { ...creds, code: await getCode(gh, { login: "hubot", scope: "gist" }) }))["access_token"]));
  const status = async (t: string | undefined) => (await fetch(`${gh.url}/user`, { headers: { authorization: `Bearer ${t ?? ""}`, "user-agent": "t" } })).status;
  assert.equal(await status(tokens[0]), 401, "the oldest is revoked");
  assert.equal(await status(tokens[1]), 200);
  assert.equal(await status(tokens[10]), 200);
});

test("a refresh replaces a token rather than adding one: with 10 live tokens, refreshing keeps the oldest alive", async () => {
  const exp = { client_id: EXPIRING.clientId, client_secret: EXPIRING.clientSecret };
  const issued = Array.from({ length: 10 }, () => gh.createToken("newbie", { clientId: EXPIRING.clientId, scopes: ["gist"] }));
  const status = async (t: string | undefined) => (await fetch(`${gh.url}/user`, { headers: { authorization: `Bearer ${t ?? ""}`, "user-agent": "t" } })).status;
  for (let i = 0; i < 3; i++) {
    const latest = issued.at(-1)!;
    const next = await tokenJson(gh, { ...exp, grant_type: "refresh_token", refresh_token: String(latest.refreshToken) });
    assert.match(String(next["access_token"]), /^gho_/);
    issued[issued.length - 1] = { ...latest, accessToken: String(next["access_token"]), refreshToken: String(next["refresh_token"]) };
  }
  assert.equal(await status(issued[0]?.accessToken), 200, "the oldest of 10 live tokens survives refreshes of another");
  assert.equal(await status(issued[9]?.accessToken), 200);
});

test("every token-endpoint error GitHub documents comes with HTTP 200, in JSON, form and XML alike", async () => {
  const t = manualClock();
  const NO_DEVICE = { clientId: "Ov23liNoDevice200", clientSecret: "nd", deviceFlow: false, callbackUrls: [CALLBACK] };
  const em = await startGitHubEmulator({ autoApprove: "octocat", now: t.now, apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackUrls: ["http://127.0.0.1/"] }, NO_DEVICE] });
  try {
    const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    const device = async () => (await (await fetch(`${em.url}/login/device/code`, { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ client_id: CLIENT_ID }) })).json()) as { device_code: string; user_code: string };
    const poll = (device_code: string) => ({ client_id: CLIENT_ID, device_code, grant_type: GRANT });
    const cases: Array<[string, () => Promise<Record<string, string>>]> = [
      ["incorrect_client_credentials", async () => ({ client_id: CLIENT_ID, client_secret: "wrong", code: await getCode(em) })],
      ["redirect_uri_mismatch", async () => ({ ...creds, code: await getCode(em), redirect_uri: "http://127.0.0.1:4567/elsewhere" })],
      ["bad_verification_code", async () => ({ ...creds, code: "0".repeat(20) })],
      ["unverified_user_email", async () => ({ ...creds, code: await getCode(em, { login: "newbie" }) })],
      ["bad_refresh_token", async () => ({ ...creds, grant_type: "refresh_token", refresh_token: "ghr_unknown" })],
      ["authorization_pending", async () => poll((await device()).device_code)],
      ["slow_down", async () => {
        const d = await device();
        await tokenRequest(em, poll(d.device_code));
        return poll(d.device_code);
      }],
      ["access_denied", async () => {
        const d = await device();
        em.denyDevice(d.user_code);
        return poll(d.device_code);
      }],
      ["incorrect_device_code", async () => poll("0".repeat(40))],
      ["unsupported_grant_type", async () => ({ ...creds, grant_type: "password" })],
      ["device_flow_disabled", async () => ({ client_id: NO_DEVICE.clientId, device_code: "0".repeat(40), grant_type: GRANT })],
      ["expired_token", async () => {
        const d = await device();
        t.advance(900_000);
        return poll(d.device_code);
      }],
    ];
    for (const [error, params] of cases) {
      for (const accept of ["application/json", "", "application/xml"]) {
        const res = await tokenRequest(em, await params(), accept ? { accept } : {});
        assert.equal(res.status, 200, `${error} (${accept || "form"})`);
        const body = await res.text();
        assert.ok(body.includes(error), `${error} (${accept || "form"}): ${body}`);
      }
    }
  } finally {
    await em.close();
  }
});

test("lifetimes as documented: an expiring access token works 8 hours; its refresh token 15897600 s (6 months)", async () => {
  const clock = manualClock(Date.UTC(2026, 0, 1));
  const em = createGitHubEmulator({ now: clock.now });
  const user = (token: string) => em.fetch(new Request("http://gh.test/user", { headers: { authorization: `Bearer ${token}`, "user-agent": "t" } }));
  const refresh = async (refreshToken: string) => {
    const body = new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: "refresh_token", refresh_token: refreshToken });
    const res = await em.fetch(new Request("http://gh.test/login/oauth/access_token", { method: "POST", headers: { accept: "application/json" }, body }));
    return (await res.json()) as Record<string, unknown>;
  };
  const first = em.createToken("octocat", { scopes: ["offline_access"] });
  assert.ok(first.refreshToken);
  clock.advance(8 * 3600 * 1000 - 1);
  assert.equal((await user(first.accessToken)).status, 200);
  clock.advance(1);
  assert.equal((await user(first.accessToken)).status, 401, "8 hours to the millisecond");

  const second = em.createToken("octocat", { scopes: ["offline_access"] });
  const third = em.createToken("octocat", { scopes: ["offline_access"] });
  assert.ok(second.refreshToken && third.refreshToken);
  clock.advance(15_897_600 * 1000 - 1);
  assert.equal(typeof (await refresh(second.refreshToken))["access_token"], "string");
  clock.advance(1);
  assert.equal((await refresh(third.refreshToken))["error"], "bad_refresh_token");
});

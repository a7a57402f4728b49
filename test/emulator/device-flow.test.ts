/** Device flow (RFC 8628) as GitHub runs it, timed with the emulator's clock. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EmulatorError, startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { Browser } from "./browser.js";
import { CLIENT_ID, CLIENT_SECRET, manualClock, tokenJson } from "./helpers.js";

const clock = manualClock();
let gh: GitHubEmulatorHandle;
const NO_DEVICE = { clientId: "Ov23liNoDevice", clientSecret: "nd", deviceFlow: false, callbackUrls: ["http://127.0.0.1/"] };
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";

before(async () => {
  gh = await startGitHubEmulator({ now: clock.now, apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: "Gatehouse Dev", callbackUrls: ["http://127.0.0.1/"] }, NO_DEVICE] });
});
after(() => gh.close());

async function deviceCode(scope = "read:org"): Promise<{ device_code: string; user_code: string; interval: number; expires_in: number; verification_uri: string }> {
  const res = await fetch(`${gh.url}/login/device/code`, { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ client_id: CLIENT_ID, scope }) });
  assert.equal(res.status, 200);
  return (await res.json()) as { device_code: string; user_code: string; interval: number; expires_in: number; verification_uri: string };
}
const poll = (device_code: string) => tokenJson(gh, { client_id: CLIENT_ID, device_code, grant_type: GRANT });

test("device code response: 40-char device_code, XXXX-XXXX user_code, verification_uri, 900 s, interval 5", async () => {
  const d = await deviceCode();
  assert.match(d.device_code, /^[0-9a-f]{40}$/);
  assert.match(d.user_code, /^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
  assert.equal(d.verification_uri, `${gh.url}/login/device`);
  assert.equal(d.expires_in, 900);
  assert.equal(d.interval, 5);
});

test("device_flow_disabled comes with HTTP 400 at /login/device/code (unlike the token endpoint)", async () => {
  const res = await fetch(`${gh.url}/login/device/code`, { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ client_id: NO_DEVICE.clientId }) });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, "device_flow_disabled");
});

test("authorization_pending until approved, then a token; the device code is then used up", async () => {
  const d = await deviceCode();
  assert.equal((await poll(d.device_code))["error"], "authorization_pending");
  gh.approveDevice(d.user_code, "octocat");
  clock.advance(5000);
  const ok = await poll(d.device_code);
  assert.match(String(ok["access_token"]), /^gho_/);
  assert.equal(ok["scope"], "read:org");
  clock.advance(5000);
  assert.equal((await poll(d.device_code))["error"], "bad_verification_code");
});

test("slow_down: polling faster than the interval adds 5 s, returned in the body, for every later poll", async () => {
  const d = await deviceCode();
  await poll(d.device_code);
  const slow = await poll(d.device_code);
  assert.equal(slow["error"], "slow_down");
  assert.equal(slow["interval"], 10);
  clock.advance(5000);
  assert.equal((await poll(d.device_code))["error"], "slow_down", "the old 5 s pace is now too fast");
  assert.equal((await poll(d.device_code))["interval"], 20);
  clock.advance(20_000);
  assert.equal((await poll(d.device_code))["error"], "authorization_pending", "waiting the new interval is fine");
});

test("expired_token after 15 minutes via now", async () => {
  const d = await deviceCode();
  clock.advance(900_000);
  assert.equal((await poll(d.device_code))["error"], "expired_token");
  assert.throws(() => gh.approveDevice(d.user_code, "octocat"), (e: unknown) => e instanceof EmulatorError && e.code === "device_code_expired");
});

test("access_denied after the user cancels; the code stays dead", async () => {
  const d = await deviceCode();
  gh.denyDevice(d.user_code);
  assert.equal((await poll(d.device_code))["error"], "access_denied");
  clock.advance(5000);
  assert.equal((await poll(d.device_code))["error"], "access_denied");
});

test("incorrect_device_code for an unknown device code", async () => {
  assert.equal((await poll("0".repeat(40)))["error"], "incorrect_device_code");
});

test("approveDevice accepts the user code as people type it (lower case, no hyphen)", async () => {
  const d = await deviceCode();
  gh.approveDevice(d.user_code.toLowerCase().replace("-", ""), "monalisa");
  assert.match(String((await poll(d.device_code))["access_token"]), /^gho_/);
  assert.throws(() => gh.approveDevice("BBBB-BBBB", "octocat"), (e: unknown) => e instanceof EmulatorError && e.code === "unknown_user_code");
});

test("device page: pick an account, enter the code, see the app and scopes, Authorize; polling then gets a token", async () => {
  const d = await deviceCode("user:email");
  const browser = new Browser(gh.url);
  const picker = await browser.go("/login/device");
  assert.match(picker.html, /Select an account/);
  const entry = await browser.click(picker.html, "hubot");
  assert.match(entry.html, /<label for="user-code">Enter the code displayed on your device<\/label>/);
  const wrong = await browser.click(entry.html, "", { user_code: "ZZZZ-ZZZZ" });
  assert.match(wrong.html, /role="alert"/);
  const consent = await browser.click(wrong.html, "", { user_code: d.user_code.toLowerCase() });
  assert.match(consent.html, /<h1>Authorize Gatehouse Dev<\/h1>/);
  assert.match(consent.html, /<strong>user:email<\/strong>/);
  const done = await browser.click(consent.html, "Authorize Gatehouse Dev");
  assert.match(done.html, /<h1>Congratulations, you&#39;re all set!<\/h1>/);
  const ok = await poll(d.device_code);
  const user = await fetch(`${gh.url}/user`, { headers: { authorization: `Bearer ${String(ok["access_token"])}`, "user-agent": "t" } });
  assert.equal(((await user.json()) as { login: string }).login, "hubot");
});

test("device page: Cancel makes the next poll access_denied", async () => {
  const d = await deviceCode();
  const browser = new Browser(gh.url);
  const picker = await browser.go("/login/device");
  const entry = await browser.click(picker.html, "octocat");
  const consent = await browser.click(entry.html, "", { user_code: d.user_code });
  const done = await browser.click(consent.html, "Cancel");
  assert.match(done.html, /cancelled/);
  assert.equal((await poll(d.device_code))["error"], "access_denied");
});

test("a device-flow refresh token refreshes without a client secret", async () => {
  const res = await fetch(`${gh.url}/login/device/code`, { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ client_id: CLIENT_ID, scope: "read:org offline_access" }) });
  const d = (await res.json()) as { device_code: string; user_code: string };
  gh.approveDevice(d.user_code, "octocat");
  const first = await poll(d.device_code);
  assert.match(String(first["refresh_token"]), /^ghr_/);
  const second = await tokenJson(gh, { client_id: CLIENT_ID, grant_type: "refresh_token", refresh_token: String(first["refresh_token"]) });
  assert.match(String(second["access_token"]), /^gho_/);
});

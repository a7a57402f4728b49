import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubNetworkError, GitHubOAuthError, type DevicePending } from "../../src/github/index.js";
import { setup } from "./emulator-setup.js";

/** One clock for the emulator and the client; the client's sleep advances it instead of waiting. */
function sharedClock() {
  let now = Date.UTC(2026, 0, 1);
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

test("whole device flow: code -> pending polls -> user approves -> token for that user", async () => {
  const clock = sharedClock();
  const { gh, github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode();
  assert.match(device.userCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  assert.equal(device.verificationUri, `${gh.url}/login/device`);
  assert.equal(device.interval, 5);
  assert.equal(device.expiresAt.getTime(), clock.now() + 900_000);
  const seen: DevicePending[] = [];
  const tokens = await github.pollDeviceToken(device, {
    sleep: clock.sleep,
    onPending: (p) => {
      seen.push(p);
      if (p.attempt === 2) gh.approveDevice(device.userCode, "monalisa");
    },
  });
  assert.deepEqual(clock.waits, [5000, 5000, 5000]);
  assert.deepEqual(seen.map((p) => p.reason), ["authorization_pending", "authorization_pending"]);
  assert.equal((await github.getUser(tokens.accessToken)).login, "monalisa");
  const polls = gh.requests().filter((r) => r.route === "POST /login/oauth/access_token");
  assert.equal(polls.length, 3);
  for (const p of polls) assert.ok(p.body && typeof p.body === "object" && !("client_secret" in p.body));
});

test("a client timer firing early makes GitHub say slow_down: the client slows down for good and succeeds", async () => {
  const clock = sharedClock();
  const { gh, github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode();
  const seen: DevicePending[] = [];
  const tokens = await github.pollDeviceToken(device, {
    // Every wait ends 300 ms early by GitHub's clock.
    sleep: async (ms) => {
      clock.waits.push(ms);
      clock.advance(ms - 300);
    },
    onPending: (p) => {
      seen.push(p);
      if (seen.length === 3) gh.approveDevice(device.userCode, "octocat");
    },
  });
  assert.match(tokens.accessToken, /^gho_/);
  assert.deepEqual(seen.map((p) => [p.reason, p.interval]), [["authorization_pending", 5], ["slow_down", 10], ["authorization_pending", 10]]);
  assert.deepEqual(clock.waits, [5000, 5000, 11000, 11000]);
});

test("the user cancels: access_denied ends polling", async () => {
  const clock = sharedClock();
  const { gh, github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode();
  await assert.rejects(
    github.pollDeviceToken(device, { sleep: clock.sleep, onPending: () => gh.denyDevice(device.userCode) }),
    (e: unknown) => e instanceof GitHubOAuthError && e.code === "access_denied",
  );
});

test("nobody approves: polling ends with expired_token by the deadline, never polling forever", async () => {
  const clock = sharedClock();
  const { gh, github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode();
  await assert.rejects(github.pollDeviceToken(device, { sleep: clock.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "expired_token");
  const polls = gh.requests().filter((r) => r.route === "POST /login/oauth/access_token").length;
  assert.ok(polls > 100 && polls < 180, `polled ${polls} times in 15 minutes at 5 s`);
});

test("GitHub's own expired_token (code expired while the client slept past it) ends polling", async () => {
  const clock = sharedClock();
  const { github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode();
  // The client believes it has longer than GitHub grants (e.g. a paused laptop).
  const stale = { ...device, expiresAt: new Date(device.expiresAt.getTime() + 3_600_000) };
  clock.advance(901_000);
  await assert.rejects(github.pollDeviceToken(stale, { sleep: clock.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "expired_token");
});

test("the abort signal stops polling at once", async () => {
  const clock = sharedClock();
  const { github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode();
  const controller = new AbortController();
  await assert.rejects(
    github.pollDeviceToken(device, { sleep: clock.sleep, onPending: (p) => p.attempt === 3 && controller.abort(), signal: controller.signal }),
    (e: unknown) => e instanceof GitHubNetworkError && e.code === "aborted",
  );
  assert.equal(clock.waits.length, 3);
});

test("device flow disabled for the app: HTTP 400 device_flow_disabled", async () => {
  const app = { clientId: "Ov23liNoDevice", clientSecret: "nd-secret", callbackUrls: ["http://127.0.0.1/"], deviceFlow: false };
  const { github } = await setup({ apps: [app] });
  await assert.rejects(github.requestDeviceCode(), (e: unknown) => e instanceof GitHubOAuthError && e.code === "device_flow_disabled" && e.status === 400);
});

test("real timers: a 1 s interval device flow completes with the default sleep", async () => {
  const { gh, github } = await setup({ deviceInterval: 1 });
  const device = await github.requestDeviceCode({ scopes: ["read:user"] });
  assert.equal(device.interval, 1);
  const started = Date.now();
  const tokens = await github.pollDeviceToken(device, { onPending: () => gh.approveDevice(device.userCode, "hubot") });
  assert.ok(Date.now() - started >= 2000);
  assert.deepEqual(tokens.scopes, ["read:user"]);
  assert.equal((await github.getUser(tokens.accessToken)).login, "hubot");
});

test("pollDeviceTokenOnce against the emulator: authorization_pending, then slow_down with the raised interval when too fast, then the token", async () => {
  const clock = sharedClock();
  const { gh, github } = await setup({ now: clock.now }, { now: clock.now });
  const device = await github.requestDeviceCode({ scopes: ["read:user"] });
  await assert.rejects(github.pollDeviceTokenOnce(device.deviceCode), (e: unknown) => e instanceof GitHubOAuthError && e.code === "authorization_pending" && e.status === 200);
  await assert.rejects(github.pollDeviceTokenOnce(device.deviceCode), (e: unknown) => e instanceof GitHubOAuthError && e.code === "slow_down" && e.interval === 10);
  gh.approveDevice(device.userCode, "hubot");
  clock.advance(10_000);
  const tokens = await github.pollDeviceTokenOnce(device.deviceCode);
  assert.deepEqual(tokens.scopes, ["read:user"]);
  assert.equal((await github.getUser(tokens.accessToken)).login, "hubot");
});

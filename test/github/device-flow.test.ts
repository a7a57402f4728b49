import { test } from "node:test";
import assert from "node:assert/strict";
import { GitHubNetworkError, GitHubOAuth, GitHubOAuthError, type DeviceCode, type DevicePending } from "../../src/github/index.js";
import { CLIENT_ID, CLIENT_SECRET, form, json, script, stubFetch, text, type Responder } from "./wire-stub.js";

const T0 = Date.UTC(2026, 0, 1);

/** A fake clock whose sleep advances time and records every wait. */
function fakeTime() {
  let now = T0;
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

function setup(responder: Responder) {
  const stub = stubFetch(responder);
  const time = fakeTime();
  const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: stub.fetch, now: time.now });
  return { github, calls: stub.calls, time };
}

function device(interval = 5, expiresInS = 900): DeviceCode {
  return { deviceCode: "dc_0123456789012345678901234567890123456", userCode: "WDJB-MJHT", verificationUri: "https://github.com/login/device", expiresAt: new Date(T0 + expiresInS * 1000), interval };
}

const pending = json({ error: "authorization_pending", error_description: "The authorization request is still pending." });
const token = json({ access_token: "gho_dev", token_type: "bearer", scope: "read:user" });

test("device code request: POST client_id and space-delimited scope; expiresAt and interval read", async () => {
  const { github, calls } = setup(script(json({ device_code: "3584d83530557fdd1f46af8289938c8ef79f9dc5", user_code: "WDJB-MJHT", verification_uri: "https://github.com/login/device", expires_in: 900, interval: 5 })));
  const d = await github.requestDeviceCode({ scopes: ["read:user", "read:org"] });
  assert.deepEqual(d, { deviceCode: "3584d83530557fdd1f46af8289938c8ef79f9dc5", userCode: "WDJB-MJHT", verificationUri: "https://github.com/login/device", expiresAt: new Date(T0 + 900_000), interval: 5 });
  const req = calls[0]!;
  assert.equal(req.method, "POST");
  assert.equal(req.url.href, "https://github.com/login/device/code");
  assert.equal(req.headers.get("accept"), "application/json");
  assert.equal(req.headers.get("user-agent"), "gatehouse");
  assert.deepEqual(form(req), { client_id: CLIENT_ID, scope: "read:user read:org" });
});

test("device code response in form encoding (no Accept honoured) is parsed", async () => {
  const { github } = setup(script(text("device_code=abc&user_code=ABCD-EFGH&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice&expires_in=899&interval=7", "application/x-www-form-urlencoded")));
  const d = await github.requestDeviceCode();
  assert.equal(d.interval, 7);
  assert.equal(d.expiresAt.getTime(), T0 + 899_000);
});

test("device_flow_disabled arrives as HTTP 400 and is a GitHubOAuthError with that code", async () => {
  const { github } = setup(script(json({ error: "device_flow_disabled", error_description: "Device Flow must be explicitly enabled for this App", error_uri: "https://docs.github.com" }, 400)));
  await assert.rejects(github.requestDeviceCode(), (e: unknown) => e instanceof GitHubOAuthError && e.code === "device_flow_disabled" && e.status === 400);
});

test("GHES without device flow: 400 unauthorized_client", async () => {
  const { github } = setup(script(json({ error: "unauthorized_client" }, 400)));
  await assert.rejects(github.requestDeviceCode(), (e: unknown) => e instanceof GitHubOAuthError && e.code === "unauthorized_client");
});

test("a device code response missing user_code is invalid_response", async () => {
  const { github } = setup(script(json({ device_code: "abc", verification_uri: "https://github.com/login/device", expires_in: 900, interval: 5 })));
  await assert.rejects(github.requestDeviceCode(), (e: unknown) => e instanceof GitHubOAuthError && e.code === "invalid_response" && /user_code/.test(e.message));
});

test("polling waits interval before every poll (the first too) and sends the device grant without secret", async () => {
  const { github, calls, time } = setup(script(pending, pending, token));
  const seen: DevicePending[] = [];
  const tokens = await github.pollDeviceToken(device(), { sleep: time.sleep, onPending: (p) => seen.push(p) });
  assert.equal(tokens.accessToken, "gho_dev");
  assert.deepEqual(time.waits, [5000, 5000, 5000]);
  assert.equal(calls.length, 3);
  for (const c of calls) {
    assert.equal(c.url.href, "https://github.com/login/oauth/access_token");
    assert.deepEqual(form(c), { client_id: CLIENT_ID, device_code: "dc_0123456789012345678901234567890123456", grant_type: "urn:ietf:params:oauth:grant-type:device_code" });
  }
  assert.deepEqual(seen, [
    { reason: "authorization_pending", interval: 5, attempt: 1 },
    { reason: "authorization_pending", interval: 5, attempt: 2 },
  ]);
});

test("slow_down adds 5 s (plus 1 s drift margin) for EVERY later poll, not just the next one", async () => {
  const { github, time } = setup(script(json({ error: "slow_down" }), pending, pending, json({ error: "slow_down" }), pending, token));
  const intervals: number[] = [];
  await github.pollDeviceToken(device(), { sleep: time.sleep, onPending: (p) => intervals.push(p.interval) });
  assert.deepEqual(intervals, [10, 10, 10, 15, 15]);
  assert.deepEqual(time.waits, [5000, 11000, 11000, 11000, 17000, 17000]);
});

test("slow_down with an interval in the body takes that interval (as text in form bodies too)", async () => {
  const { github, time } = setup(script(json({ error: "slow_down", interval: 12 }), pending, text("error=slow_down&interval=30", "application/x-www-form-urlencoded"), token));
  await github.pollDeviceToken(device(), { sleep: time.sleep });
  assert.deepEqual(time.waits, [5000, 13000, 13000, 32000]);
});

test("expired_token from GitHub stops polling with that code", async () => {
  const { github, calls, time } = setup(script(pending, json({ error: "expired_token", error_description: "The device code has expired." })));
  await assert.rejects(github.pollDeviceToken(device(), { sleep: time.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "expired_token");
  assert.equal(calls.length, 2);
});

test("access_denied (user cancelled) stops polling", async () => {
  const { github, calls, time } = setup(script(pending, json({ error: "access_denied" })));
  await assert.rejects(github.pollDeviceToken(device(), { sleep: time.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "access_denied");
  assert.equal(calls.length, 2);
});

test("incorrect_device_code and device_flow_disabled stop polling", async () => {
  for (const code of ["incorrect_device_code", "device_flow_disabled", "bad_verification_code"]) {
    const { github, calls, time } = setup(script(json({ error: code })));
    await assert.rejects(github.pollDeviceToken(device(), { sleep: time.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === code);
    assert.equal(calls.length, 1);
  }
});

test("the local deadline (expires_in elapsed) stops polling as expired_token: never polls forever", async () => {
  const { github, calls, time } = setup(() => pending());
  await assert.rejects(github.pollDeviceToken(device(5, 30), { sleep: time.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "expired_token");
  // Polls at 5, 10, 15, 20, 25 s; the next would land on the 30 s deadline.
  assert.equal(calls.length, 5);
  assert.ok(time.now() < T0 + 30_000);
});

test("the abort signal stops polling with a GitHubNetworkError aborted", async () => {
  const controller = new AbortController();
  const { github, calls, time } = setup((_req, i) => {
    if (i === 1) controller.abort(new Error("user pressed Ctrl-C"));
    return pending();
  });
  await assert.rejects(github.pollDeviceToken(device(), { sleep: time.sleep, signal: controller.signal }), (e: unknown) => e instanceof GitHubNetworkError && e.code === "aborted");
  assert.ok(calls.length <= 2);
});

test("the default sleep rejects at once when aborted mid-wait", async () => {
  const stub = stubFetch(() => pending());
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch });
  const controller = new AbortController();
  const d = { ...device(60), expiresAt: new Date(Date.now() + 900_000) };
  const started = Date.now();
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(github.pollDeviceToken(d, { signal: controller.signal }), (e: unknown) => e instanceof GitHubNetworkError && e.code === "aborted");
  assert.ok(Date.now() - started < 5000);
  assert.equal(stub.calls.length, 0);
});

test("a network failure while polling doubles the interval and goes on (RFC 8628 §3.5)", async () => {
  const { github, time } = setup((_req, i) => {
    if (i === 1) throw new TypeError("fetch failed");
    return i < 3 ? pending() : token();
  });
  await github.pollDeviceToken(device(), { sleep: time.sleep });
  assert.deepEqual(time.waits, [5000, 5000, 10000, 10000]);
});

test("pollDeviceTokenOnce: one device-grant request, pending and slow_down (with interval) thrown to the caller", async () => {
  const { github, calls } = setup(script(pending, json({ error: "slow_down", interval: 10 }), token));
  await assert.rejects(github.pollDeviceTokenOnce("dc_1"), (e: unknown) => e instanceof GitHubOAuthError && e.code === "authorization_pending");
  await assert.rejects(github.pollDeviceTokenOnce("dc_1"), (e: unknown) => e instanceof GitHubOAuthError && e.code === "slow_down" && e.interval === 10);
  assert.equal((await github.pollDeviceTokenOnce("dc_1")).accessToken, "gho_dev");
  assert.equal(calls.length, 3);
  for (const c of calls) assert.deepEqual(form(c), { client_id: CLIENT_ID, device_code: "dc_1", grant_type: "urn:ietf:params:oauth:grant-type:device_code" });
});

test("a 5xx from GitHub while polling is transient: the interval doubles and polling goes on (a 15-minute sign-in is not lost to one 502)", async () => {
  const { github, calls, time } = setup(script(pending, text("<html>Unicorn!</html>", "text/html", 502), json({ message: "Service Unavailable" }, 503), token));
  const tokens = await github.pollDeviceToken(device(), { sleep: time.sleep });
  assert.equal(tokens.accessToken, "gho_dev");
  assert.equal(calls.length, 4);
  assert.deepEqual(time.waits, [5000, 5000, 10000, 20000]);
});

test("an OAuth error body sent with a 5xx still ends polling (it is GitHub's answer, not an outage)", async () => {
  const { github, calls, time } = setup(script(json({ error: "access_denied" }, 500)));
  await assert.rejects(github.pollDeviceToken(device(), { sleep: time.sleep }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "access_denied");
  assert.equal(calls.length, 1);
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { approve, CLIENT_SECRET, signInWithGitHub, startStack } from "./harness.js";
import type { Stack } from "./harness.js";
import { manualClock } from "../support/clock.js";

/**
 * Defect 7: the client secret, PKCE verifier, codes and tokens went into query strings and logs.
 * Every secret the service handles is collected (from the service's own requests to GitHub and
 * from its answers) and searched for in every log line, every redirect URL and every answer body.
 */
forEachDatabase("secrets stay out of logs, URLs and responses", (db) => {
  let stack: Stack;
  // One clock for the service and the emulator: device polls advance it instead of sleeping.
  const clock = manualClock(Date.now());
  const sentToGitHub: Array<{ url: string; body: string; headers: Headers }> = [];
  before(async () => {
    stack = await startStack({
      database: await db.fresh(),
      deviceInterval: 1,
      emulatorNow: clock.now,
      config: { now: clock.now },
      githubFetch: async (input, init) => {
        sentToGitHub.push({ url: input, body: typeof init.body === "string" ? init.body : "", headers: new Headers(init.headers) });
        return fetch(input, init);
      },
    });
  });
  after(async () => { await stack.close(); });

  test("browser, JSON, password and device sign-ins leak no secret", async () => {
    const secrets = new Set<string>([CLIENT_SECRET]);
    const urls: string[] = [];
    const bodies: string[] = [];

    // Browser flow.
    const browser = stack.browser();
    const done = await signInWithGitHub(stack, browser, "alice", "/home");
    assert.equal(done.status, 302);
    urls.push(...browser.visited);
    secrets.add(browser.cookies.get("gatehouse_session") ?? "missing");

    // JSON flow.
    const spa = stack.browser();
    const urlRes = await spa.fetch("/api/users/oauth-login-url/github");
    const binding = spa.cookies.get("gatehouse_oauth") ?? "missing";
    secrets.add(binding);
    const urlBody = await urlRes.text();
    bodies.push(urlBody);
    const cb = await approve(stack, new URL((JSON.parse(urlBody) as { auth_url: string }).auth_url), "carol");
    secrets.add(cb.searchParams.get("code") ?? "missing");
    const login = await spa.fetch("/api/users/oauth-login", { method: "POST", json: { oauth_provider: "github", code: cb.searchParams.get("code"), state: cb.searchParams.get("state") } });
    const loginBody = (await login.json()) as { token: string; user: { id: number } };
    secrets.add(loginBody.token);
    bodies.push(JSON.stringify({ ...loginBody, token: "" }));

    // Password.
    const password = "a-long-password-for-logs";
    await stack.gatehouse.users.create({ username: "pw-user", password });
    secrets.add(password);
    const pw = await stack.browser().fetch("/api/users/login", { method: "POST", json: { username: "pw-user", password } });
    const pwBody = (await pw.json()) as { token: string };
    secrets.add(pwBody.token);
    bodies.push(JSON.stringify({ ...pwBody, token: "" }));
    await stack.browser().fetch("/api/users/login", { method: "POST", json: { username: "pw-user", password: "wrong-password-in-log?" } });
    secrets.add("wrong-password-in-log?");

    // Device flow.
    const start = await fetch(`${stack.url}/api/device/start`, { method: "POST" });
    const device = (await start.json()) as { handle: string; user_code: string };
    secrets.add(device.handle);
    stack.gh.approveDevice(device.user_code, "alice");
    let polled: { status: string; token?: string } = { status: "pending" };
    for (let i = 0; i < 10 && polled.status === "pending"; i++) {
      clock.advance(1100);
      polled = (await (await fetch(`${stack.url}/api/device/poll`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ handle: device.handle }) })).json()) as typeof polled;
    }
    assert.equal(polled.status, "complete", JSON.stringify(polled) + stack.logs.filter((l) => l.includes("unhandled")).join("\n"));
    secrets.add(polled.token ?? "missing");

    // What the service sent to GitHub: verifiers, codes, device codes, client secret, GitHub tokens.
    for (const req of sentToGitHub) {
      const form = new URLSearchParams(req.body.startsWith("{") ? Object.entries(JSON.parse(req.body) as Record<string, string>) : req.body);
      for (const key of ["code_verifier", "code", "client_secret", "device_code", "refresh_token"]) {
        const v = form.get(key);
        if (v) secrets.add(v);
      }
      const auth = req.headers.get("authorization");
      if (auth?.toLowerCase().startsWith("bearer ")) secrets.add(auth.slice(7));
      // Nothing secret travels in a query string to GitHub either.
      const q = new URL(req.url).searchParams;
      for (const key of ["client_secret", "code_verifier", "access_token"]) assert.equal(q.get(key), null, `${key} in ${req.url}`);
    }
    assert.ok([...secrets].some((s) => s.startsWith("gho_")), "GitHub access tokens were collected");
    assert.ok(sentToGitHub.some((r) => r.body.includes("code_verifier")), "verifiers were collected");

    const logs = stack.logs.join("\n");
    assert.ok(stack.logs.length > 10, "logs were captured");
    for (const secret of secrets) {
      assert.ok(secret.length >= 8, "a real secret");
      assert.equal(logs.includes(secret), false, `a secret appears in the logs: ${secret.slice(0, 4)}…`);
      for (const u of urls) assert.equal(u.includes(secret), false, `a secret appears in a URL: ${u}`);
      for (const b of bodies) assert.equal(b.includes(secret), false, "a secret appears in a response body");
    }
    // The one place a verifier could leak in a URL: the authorize URL. Only its S256 challenge is there.
    const authorizeUrl = urls.find((u) => u.startsWith(stack.gh.url));
    assert.ok(authorizeUrl?.includes("code_challenge="));
  });
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { approve, authorizeAtGitHub, startStack } from "./harness.js";
import type { Stack } from "./harness.js";
import type { EmulatorFault, EmulatorRoute } from "../../src/emulator/index.js";

forEachDatabase("GitHub faults during sign-in", (db) => {
  let stack: Stack;
  // 1 s for every GitHub call (a loaded CI machine must not time out a healthy one); the faults delay 3 s.
  before(async () => { stack = await startStack({ database: await db.fresh(), timeoutMs: 1000 }); });
  after(async () => { await stack.close(); });

  async function jsonSignIn(login: string): Promise<Response> {
    const browser = stack.browser();
    const { auth_url } = (await (await browser.fetch("/api/users/oauth-login-url/github")).json()) as { auth_url: string };
    const cb = await approve(stack, new URL(auth_url), login);
    return browser.fetch("/api/users/oauth-login", {
      method: "POST",
      json: { oauth_provider: "github", code: cb.searchParams.get("code"), state: cb.searchParams.get("state") },
    });
  }

  async function nothingCreated(): Promise<void> {
    const page = await stack.gatehouse.users.list();
    assert.equal(page.total, 0, "no half-made user");
  }

  const cases: Array<{ name: string; route: EmulatorRoute; fault: EmulatorFault; status: number; code: string }> = [
    { name: "token endpoint 502", route: "POST /login/oauth/access_token", fault: { status: 502 }, status: 502, code: "github_unavailable" },
    { name: "token endpoint timeout", route: "POST /login/oauth/access_token", fault: { delayMs: 3000 }, status: 503, code: "github_timeout" },
    { name: "token endpoint answers a cut body", route: "POST /login/oauth/access_token", fault: { malformed: true }, status: 502, code: "github_unavailable" },
    { name: "/user 500", route: "GET /user", fault: { status: 500 }, status: 502, code: "github_unavailable" },
    { name: "/user timeout", route: "GET /user", fault: { delayMs: 3000 }, status: 503, code: "github_timeout" },
    { name: "/user primary rate limit (403, x-ratelimit-remaining: 0)", route: "GET /user", fault: { rateLimit: "primary" }, status: 503, code: "github_rate_limited" },
    { name: "/user secondary rate limit (429 + retry-after)", route: "GET /user", fault: { rateLimit: "secondary", status: 429, retryAfter: 30 }, status: 503, code: "github_rate_limited" },
    { name: "/user/emails 503", route: "GET /user/emails", fault: { status: 503 }, status: 502, code: "github_unavailable" },
  ];

  for (const c of cases) {
    test(`${c.name} → ${c.status} problem ${c.code}, no user and no session`, async () => {
      stack.gh.clearFaults();
      stack.gh.injectFault(c.route, c.fault);
      const res = await jsonSignIn("alice");
      assert.equal(res.status, c.status);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
      const body = (await res.json()) as { code: string; detail: string };
      assert.equal(body.code, c.code);
      assert.ok(body.detail.length > 0);
      if (c.code === "github_rate_limited") assert.ok(Number(res.headers.get("retry-after")) > 0, "Retry-After passed on");
      assert.equal(res.headers.getSetCookie().some((s) => s.startsWith("gatehouse_session=") && !/Max-Age=0/i.test(s)), false);
      await nothingCreated();
    });
  }

  test("a fault in the browser flow lands on /login?error=github_unavailable and creates nothing", async () => {
    stack.gh.clearFaults();
    const browser = stack.browser();
    const callback = await authorizeAtGitHub(stack, browser, "alice");
    stack.gh.injectFault("POST /login/oauth/access_token", { status: 503 });
    const res = await browser.fetch(callback.toString());
    assert.equal(res.headers.get("location"), "/login?error=github_unavailable");
    assert.equal(browser.cookies.has("gatehouse_session"), false);
    await nothingCreated();
  });

  test("after the fault clears, the same user signs in normally", async () => {
    stack.gh.clearFaults();
    const res = await jsonSignIn("alice");
    assert.equal(res.status, 200);
  });
});

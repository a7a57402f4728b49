/** `GET /auth/check` for reverse proxies: 200 with the user's headers, 401, 403, and where to sign in. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signInWithGitHub, startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { headerValue } from "../../src/server/routes/check-routes.js";

let stack: Stack;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "gatehouse-check-"));
  stack = await startStack({
    database: `sqlite:${join(dir, "g.db")}`,
    config: { policy: { admins: ["carol"] }, scopes: ["read:user", "user:email", "read:org"], returnToHosts: ["wiki.example.com"] },
  });
});
after(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cookieOf(login: string): Promise<string> {
  const browser = stack.browser();
  await signInWithGitHub(stack, browser, login);
  return browser.cookies.header() ?? "";
}

describe("GET /auth/check", () => {
  test("not signed in: 401, with where to sign in built from X-Forwarded-Uri (a path on this site)", async () => {
    const res = await fetch(`${stack.url}/auth/check`, { headers: { accept: "text/html", "x-forwarded-method": "GET", "x-forwarded-uri": "/docs/a?b=1&c=2", "x-forwarded-host": "app.example.com" } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.headers.get("x-gatehouse-login"), `${stack.url}/login?return_to=%2Fdocs%2Fa%3Fb%3D1%26c%3D2`);
    assert.equal(res.headers.get("x-gatehouse-user"), null);
  });

  test("return_to is absolute only for a host in GATEHOUSE_RETURN_TO_HOSTS", async () => {
    const headers = { "x-forwarded-method": "GET", "x-forwarded-proto": "https", "x-forwarded-host": "wiki.example.com", "x-forwarded-uri": "/page" };
    const res = await fetch(`${stack.url}/auth/check`, { headers });
    assert.equal(res.headers.get("x-gatehouse-login"), `${stack.url}/login?return_to=${encodeURIComponent("https://wiki.example.com/page")}`);
    const login = await fetch(res.headers.get("x-gatehouse-login") ?? "", { headers: { cookie: await cookieOf("alice") }, redirect: "manual" });
    assert.equal(login.headers.get("location"), "https://wiki.example.com/page", "after sign-in the browser goes back to the allowed host");
    const other = await fetch(`${stack.url}/auth/check`, { headers: { ...headers, "x-forwarded-host": "evil.example" } });
    assert.equal(other.headers.get("x-gatehouse-login"), `${stack.url}/login?return_to=%2Fpage`);
  });

  test("signed in: 200 with the user's headers; cookie or Bearer", async () => {
    const cookie = await cookieOf("alice");
    const res = await fetch(`${stack.url}/auth/check`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const user = await stack.gatehouse.users.getByUsername("alice");
    assert.deepEqual(
      ["x-gatehouse-user", "x-gatehouse-user-id", "x-gatehouse-email", "x-gatehouse-role", "x-gatehouse-github-login"].map((h) => res.headers.get(h)),
      ["alice", String(user.id), "alice@example.com", "user", "alice"],
    );
    const token = /gatehouse_session=([^;]+)/.exec(cookie)?.[1] ?? "";
    assert.equal((await fetch(`${stack.url}/auth/check`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  });

  test("role=, org= and team= narrow who is allowed: 403 for the others", async () => {
    const alice = await cookieOf("alice");
    const bob = await cookieOf("bob");
    const carol = await cookieOf("carol");
    const status = async (query: string, cookie: string) => (await fetch(`${stack.url}/auth/check?${query}`, { headers: { cookie } })).status;
    assert.equal(await status("role=admin", alice), 403);
    assert.equal(await status("role=admin", carol), 200);
    assert.equal(await status("org=acme", alice), 200);
    assert.equal(await status("org=acme", bob), 403, "a pending invitation is not membership");
    assert.equal(await status("team=acme/devs", alice), 200);
    assert.equal(await status("team=acme/devs", carol), 403);
    assert.equal(await status("org=other,acme", alice), 200, "one of the listed orgs is enough");
    assert.equal(await status("role=owner", alice), 400);
    assert.equal(await status("team=nonsense", alice), 400);
  });

  test("GitHub failing while an org is checked is GitHub's failure (5xx), never a 403 or a 200; the answer is not cached", async () => {
    const carol = await cookieOf("carol");
    stack.gh.injectFault("GET /user/memberships/orgs/{org}", { status: 502 });
    const failed = await fetch(`${stack.url}/auth/check?org=acme`, { headers: { cookie: carol } });
    assert.equal(failed.status, 502);
    assert.equal(((await failed.json()) as { code: string }).code, "github_unavailable");
    assert.equal((await fetch(`${stack.url}/auth/check?org=acme`, { headers: { cookie: carol } })).status, 200, "asked again once GitHub answers");
  });

  test("header values carry no CR, LF or non-ASCII byte", () => {
    assert.equal(headerValue("a\r\nX-Gatehouse-Role: admin"), "a%0D%0AX-Gatehouse-Role: admin");
    assert.equal(headerValue("zoë@example.com"), "zo%C3%AB@example.com");
    assert.equal(headerValue("100%"), "100%25");
  });
});

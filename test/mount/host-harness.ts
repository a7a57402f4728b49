/**
 * Host apps with Gatehouse mounted: a real HTTP server on port 0 whose listener is the host
 * framework's, Gatehouse inside it (at the root or under a base path), the GitHub emulator, and
 * one scenario every host must pass — sign-in through the emulator, guarded host routes (200 /
 * 401 / redirect / 403) and a host route Gatehouse does not own, its body intact.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startGitHubEmulator } from "../../src/emulator/index.js";
import { createGatehouse, createLogger } from "../../src/index.js";
import type { Gatehouse } from "../../src/index.js";
import { authorizeAtGitHub, Browser, CLIENT_ID, CLIENT_SECRET, TEST_SCRYPT, USERS } from "../server/harness.js";
import type { Stack } from "../server/harness.js";

export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Routes every host defines, guarded by its framework's `requireUser`:
 * `GET /me` (any user: `{ username }`), `GET /admin` (`role: "admin"`), `GET /acme` (`orgs: ["acme"]`),
 * `GET /devs` (`teams: ["acme/devs"]`), and unguarded `POST /echo` answering its body as text.
 */
export type BuildHost = (gatehouse: Gatehouse) => Promise<Listener> | Listener;

export interface HostStack extends Stack {
  /** Where Gatehouse lives: `url` or `url` + base path. */
  publicUrl: string;
}

export async function startHost(build: BuildHost, basePath = ""): Promise<HostStack> {
  let listener: Listener | undefined;
  const server = createServer((req, res) => (listener ? listener(req, res) : res.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicUrl = `${url}${basePath}`;
  const gh = await startGitHubEmulator({
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, kind: "oauth-app", callbackUrls: [`${publicUrl}/auth/github/callback`] }],
    users: USERS,
  });
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-mount-"));
  const logs: string[] = [];
  const gatehouse = await createGatehouse({
    publicUrl,
    database: `sqlite:${join(dir, "g.db")}`,
    secret: randomBytes(32),
    github: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: gh.url, apiUrl: gh.url },
    logger: createLogger({ level: "debug", destination: { write: (line: string) => void logs.push(line) } }),
    passwordParams: TEST_SCRYPT,
    policy: { admins: ["carol"] },
    // Org and team guards ask GitHub with the user's token: it needs read:org.
    scopes: ["read:user", "user:email", "read:org"],
  });
  listener = await build(gatehouse);
  return {
    url, publicUrl, gh, gatehouse, logs,
    browser: () => new Browser(url),
    async close() {
      await gatehouse.close();
      await gh.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The browser flow through the emulator, started at Gatehouse's `/auth/github` under its base path. */
async function signInWithGitHub(stack: HostStack, browser: Browser, login: string, returnTo: string): Promise<Response> {
  const base = new URL(stack.publicUrl).pathname.replace(/\/$/, "");
  const callback = await authorizeAtGitHub(stack, browser, login, `${base}/auth/github?return_to=${encodeURIComponent(returnTo)}`);
  return browser.fetch(callback.toString());
}

const PAGE = { accept: "text/html,application/xhtml+xml" };

/** The scenario, at the root and under a base path. */
export function hostAppSuite(name: string, build: BuildHost): void {
  for (const basePath of ["", "/auth-service"]) {
    describe(`${name}, Gatehouse at ${basePath === "" ? "the root" : basePath}`, () => {
      let stack: HostStack;
      before(async () => { stack = await startHost(build, basePath); });
      after(async () => { await stack.close(); });

      test("a host route Gatehouse does not own is served by the host, body and all", async () => {
        const body = `payload ${"x".repeat(70_000)}`;
        const res = await fetch(`${stack.url}/echo`, { method: "POST", headers: { "content-type": "text/plain" }, body });
        assert.equal(res.status, 200);
        assert.equal(await res.text(), body);
      });

      test("Gatehouse's own routes answer under its public URL", async () => {
        const res = await fetch(`${stack.publicUrl}/healthz`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: "ok" });
      });

      test("Gatehouse's pages link, post and redirect under its base path", async () => {
        const page = await fetch(`${stack.publicUrl}/login`, { headers: PAGE });
        assert.equal(page.status, 200);
        const html = await page.text();
        assert.match(html, new RegExp(`<form method="post" action="${basePath}/login">`));
        const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? "";
        assert.ok(stylesheet.startsWith(`${basePath}/assets/`), stylesheet);
        assert.equal((await fetch(`${stack.url}${stylesheet}`)).status, 200);
        const account = await fetch(`${stack.publicUrl}/account`, { headers: PAGE, redirect: "manual" });
        assert.equal(account.headers.get("location"), `${basePath}/login?return_to=${encodeURIComponent(`${basePath}/account`)}`);
      });

      test("anonymous: an API request gets 401 problem+json, a page request a redirect to sign in", async () => {
        const api = await fetch(`${stack.url}/me`, { headers: { accept: "application/json" } });
        assert.equal(api.status, 401);
        assert.match(api.headers.get("content-type") ?? "", /^application\/problem\+json\b/);
        assert.equal(((await api.json()) as { code: string }).code, "unauthenticated");
        const page = await fetch(`${stack.url}/me?tab=1`, { headers: PAGE, redirect: "manual" });
        assert.equal(page.status, 303);
        assert.equal(page.headers.get("location"), `${stack.publicUrl}/login?return_to=%2Fme%3Ftab%3D1`);
      });

      test("after a GitHub sign-in through the emulator, the guarded host route answers the user, back where they started", async () => {
        const browser = stack.browser();
        const done = await signInWithGitHub(stack, browser, "alice", "/me");
        assert.equal(done.status, 302);
        // Under a base path the return is absolute, so it is not read as one of Gatehouse's own paths.
        assert.equal(done.headers.get("location"), basePath === "" ? "/me" : `${stack.url}/me`);
        const res = await browser.fetch("/me");
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { username: "alice", role: "user" });
        const auth = await stack.gatehouse.authenticate(new Request(`${stack.url}/`, { headers: { cookie: browser.cookies.header() ?? "" } }));
        assert.equal(auth?.user.username, "alice");
      });

      test("a guard's `load` hands the route the app's own user type, fields added", async () => {
        const browser = stack.browser();
        await signInWithGitHub(stack, browser, "alice", "/");
        const res = await browser.fetch("/plan");
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { plan: "PRO:ALICE" });
      });

      test("signed in but not allowed: 403 for a role, an org and a team the user lacks; allowed when they have it", async () => {
        const alice = stack.browser();
        await signInWithGitHub(stack, alice, "alice", "/");
        assert.equal((await alice.fetch("/admin")).status, 403);
        assert.equal((await alice.fetch("/acme")).status, 200, "alice is an active member of acme");
        assert.equal((await alice.fetch("/devs")).status, 200, "alice is in acme/devs");
        const bob = stack.browser();
        await signInWithGitHub(stack, bob, "bob", "/");
        const refused = await bob.fetch("/acme", { headers: PAGE });
        assert.equal(refused.status, 403, "bob's acme membership is only pending");
        assert.equal((await bob.fetch("/devs")).status, 403);
        const carol = stack.browser();
        await signInWithGitHub(stack, carol, "carol", "/");
        assert.equal((await carol.fetch("/admin")).status, 200, "carol is an admin");
      });

      test("GitHub failing while a guard checks a team answers GitHub's failure, not 403 or 500", async () => {
        const carol = stack.browser();
        await signInWithGitHub(stack, carol, "carol", "/");
        stack.gh.injectFault("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { status: 503 });
        const res = await carol.fetch("/devs");
        assert.equal(res.status, 502);
        assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
        assert.equal((await carol.fetch("/devs")).status, 403, "carol is not in acme/devs, once GitHub answers");
      });

      test("a Bearer token works on a guarded host route like the cookie", async () => {
        const browser = stack.browser();
        await signInWithGitHub(stack, browser, "carol", "/");
        const session = browser.cookies.header()?.match(/gatehouse_session=([^;]+)/)?.[1];
        assert.ok(session);
        const res = await fetch(`${stack.url}/me`, { headers: { authorization: `Bearer ${session}` } });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { username: "carol", role: "admin" });
      });
    });
  }
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Browser } from "./harness.js";
import { cliEnv, runCli } from "../cli/run-cli.js";
import { freePortPair, holdPort, signInThroughDemo, startServe } from "../cli/serve-process.js";

/** Fields of the first form on a page whose action matches. */
function form(html: string, action: RegExp): { action: string; fields: URLSearchParams } {
  for (const m of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!action.test(m[1] ?? "")) continue;
    const fields = new URLSearchParams();
    for (const input of (m[2] ?? "").matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(input[1] ?? "", (input[2] ?? "").replace(/&amp;/g, "&"));
    return { action: m[1] ?? "", fields };
  }
  throw new Error(`no form ${action} in ${html.slice(0, 300)}`);
}

test("gatehouse serve with no configuration: SQLite, generated secret (0600), the emulator as GitHub, and a user signs in through GitHub's pages offline", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-serve-"));
  const serve = await startServe({ GATEHOUSE_PORT: "0", GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, "gatehouse.db")}`, GATEHOUSE_DATA_DIR: join(dir, "data") });
  const out = serve.proc.stdout();
  try {
    assert.match(out, /No GitHub app configured: GitHub is the built-in emulator at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, /GATEHOUSE_GITHUB_CLIENT_ID and GATEHOUSE_GITHUB_CLIENT_SECRET/);
    assert.equal(statSync(join(dir, "data", "secret")).mode & 0o777, 0o600);
    const loginUrl = serve.loginUrl;
    assert.equal(loginUrl.pathname, "/login");
    assert.equal((await fetch(new URL("/healthz", loginUrl))).status, 200);

    // The printed login page, then its "Sign in with GitHub" link.
    const browser = new Browser(loginUrl.origin);
    const loginPage = await (await browser.fetch(loginUrl.pathname)).text();
    const githubLink = /href="(\/auth\/github\?[^"]+)"/.exec(loginPage)?.[1]?.replaceAll("&amp;", "&");
    assert.equal(githubLink, "/auth/github?return_to=%2Faccount");
    const start = await browser.fetch(githubLink);
    const authorize = start.headers.get("location") ?? "";
    // At "GitHub" (the emulator): pick the account, then authorize the app.
    const ghCookies: string[] = [];
    const gh = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: ghCookies.join("; ") } });
      for (const c of res.headers.getSetCookie()) ghCookies.push(c.split(";")[0] ?? "");
      return res;
    };
    const ghOrigin = new URL(authorize).origin;
    const picker = form(await (await gh(authorize)).text(), /select_account/);
    picker.fields.set("login", "octocat");
    const picked = await gh(new URL(picker.action, ghOrigin).toString(), { method: "POST", body: picker.fields, headers: { "content-type": "application/x-www-form-urlencoded" } });
    const consentPage = await gh(new URL(picked.headers.get("location") ?? "", ghOrigin).toString());
    let callback: string;
    if (consentPage.status === 302) {
      callback = consentPage.headers.get("location") ?? "";
    } else {
      const consent = form(await consentPage.text(), /\/login\/oauth\/authorize/);
      consent.fields.set("decision", "authorize");
      const approved = await gh(new URL(consent.action, ghOrigin).toString(), { method: "POST", body: consent.fields, headers: { "content-type": "application/x-www-form-urlencoded" } });
      callback = approved.headers.get("location") ?? "";
    }
    const back = await browser.fetch(callback);
    assert.equal(back.headers.get("location"), "/account");
    const me = (await (await browser.fetch("/api/users/me")).json()) as { user: { username: string; role: string } };
    assert.deepEqual([me.user.username, me.user.role], ["octocat", "admin"]);
  } finally {
    const end = await serve.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(end.status, 0, end.stdout.slice(-2000) + end.stderr);
  }
});

test("gatehouse serve refuses a bad variable with a message naming it", async () => {
  const result = await runCli(["serve"], cliEnv({ GATEHOUSE_SIGNUP: "sometimes" }));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /GATEHOUSE_SIGNUP: must be "open" or "invite"/);
});

test("gatehouse migrate brings a new database up to date, then says it is", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-migrate-"));
  try {
    const env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, "m.db")}` };
    const run = async () => {
      const result = await runCli(["migrate"], cliEnv(env));
      return { code: result.status, out: result.stdout };
    };
    const first = await run();
    assert.equal(first.code, 0);
    assert.match(first.out, /Applied: 0001_initial/);
    const second = await run();
    assert.match(second.out, /up to date/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the demo survives a restart: the avatar stored at a sign-in still loads from the demo emulator (GATEHOUSE_PORT + 1)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-restart-"));
  const port = await freePortPair();
  const env = { GATEHOUSE_PORT: String(port), GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, "gatehouse.db")}`, GATEHOUSE_DATA_DIR: join(dir, "data") };
  try {
    const first = await startServe(env);
    let avatar: string;
    try {
      assert.equal(first.githubUrl, `http://127.0.0.1:${port + 1}`);
      const browser = await signInThroughDemo(first, "octocat");
      const me = (await (await browser.fetch("/api/users/me")).json()) as { user: { avatar: string | null } };
      avatar = me.user.avatar ?? "";
      assert.match(avatar, new RegExp(`^${first.githubUrl}/`));
    } finally {
      assert.equal((await first.stop()).status, 0);
    }
    const second = await startServe(env);
    try {
      const res = await fetch(avatar);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^image\//);
    } finally {
      assert.equal((await second.stop()).status, 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("gatehouse serve: when GATEHOUSE_PORT + 1 is taken, the demo emulator runs on another port and says what that costs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-taken-"));
  const port = await freePortPair();
  const taken = await holdPort(port + 1);
  try {
    const serve = await startServe({ GATEHOUSE_PORT: String(port), GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, "gatehouse.db")}`, GATEHOUSE_DATA_DIR: join(dir, "data") });
    try {
      assert.match(serve.proc.stdout(), new RegExp(`Port ${port + 1} \\(GATEHOUSE_PORT \\+ 1\\) for the demo GitHub emulator is taken; it runs at http://127\\.0\\.0\\.1:\\d+ instead`));
      assert.notEqual(serve.githubUrl, `http://127.0.0.1:${port + 1}`);
      const browser = await signInThroughDemo(serve, "monalisa");
      assert.equal((await browser.fetch("/api/users/me")).status, 200);
    } finally {
      assert.equal((await serve.stop()).status, 0);
    }
  } finally {
    await taken.release();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("gatehouse serve on a taken port exits 1 with one line naming GATEHOUSE_PORT and the address, no stack", async () => {
  const taken = await holdPort(0);
  try {
    const result = await runCli(["serve"], cliEnv({ GATEHOUSE_PORT: String(taken.port), GATEHOUSE_DATABASE_URL: "sqlite::memory:", GATEHOUSE_SECRET: "ab".repeat(32) }));
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `gatehouse serve: 127.0.0.1:${taken.port} is already in use; set GATEHOUSE_PORT to a free port (0: any)\n`);
    assert.equal(result.stdout, "");
  } finally {
    await taken.release();
  }
});

test("gatehouse serve on an address this machine does not have names GATEHOUSE_HOST", async () => {
  const result = await runCli(["serve"], cliEnv({ GATEHOUSE_PORT: "0", GATEHOUSE_HOST: "192.0.2.1", GATEHOUSE_DATABASE_URL: "sqlite::memory:", GATEHOUSE_SECRET: "ab".repeat(32) }));
  assert.equal(result.status, 1);
  assert.equal(result.stderr, "gatehouse serve: cannot listen on 192.0.2.1:0: no such local address; set GATEHOUSE_HOST to one of this machine's addresses\n");
});

/**
 * A single-page app on another origin in real Chromium: a page served from a second port of
 * 127.0.0.1 (same site, another origin) signs in with a password through credentialed `fetch` and
 * reads `/api/users/me` with the cookie; a page from a third origin cannot read the API.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { sqliteDatabase } from "../store/databases.js";
import { startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { launchChromium, skipReason } from "./chromium.js";

const skip = skipReason;
let stack: Stack;
let browser: Browser;
const servers: Server[] = [];
const db = sqliteDatabase();

/** Serves an empty HTML page on a new port of 127.0.0.1; returns its origin. */
async function frontEnd(): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>app</title>"));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let app = "";
let third = "";

before(async () => {
  if (skip) return;
  app = await frontEnd();
  third = await frontEnd();
  [stack, browser] = await Promise.all([
    startStack({ database: await db.fresh(), config: { appOrigins: [app] } }),
    launchChromium(),
  ]);
  await stack.gatehouse.users.create({ username: "pat", password: "pat-password-1" });
});
after(async () => {
  if (skip) return;
  await browser?.close();
  await stack?.close();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await db.cleanup();
});

/** What the page's script does: sign in, then read the profile; every failure is reported, not thrown. */
const SIGN_IN_AND_READ = `async ([api]) => {
  const out = {};
  try {
    const login = await fetch(api + "/api/users/login", { method: "POST", credentials: "include",
      headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "pat", password: "pat-password-1" }) });
    out.login = login.status;
    const me = await fetch(api + "/api/users/me", { credentials: "include" });
    out.me = me.status;
    out.username = (await me.json()).user.username;
  } catch (err) {
    out.error = String(err);
  }
  return out;
}`;

test("a page on a listed origin signs in with a password and reads /api/users/me with its cookie", { skip }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(app);
    const result = await page.evaluate(`(${SIGN_IN_AND_READ})([${JSON.stringify(stack.url)}])`);
    assert.deepEqual(result, { login: 200, me: 200, username: "pat" });
  } finally {
    await context.close();
  }
});

test("a page on a third origin reads nothing: the preflight gets no CORS answer", { skip }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(third);
    const result = (await page.evaluate(`(${SIGN_IN_AND_READ})([${JSON.stringify(stack.url)}])`)) as { error?: string; login?: number };
    assert.equal(result.login, undefined);
    assert.match(result.error ?? "", /Failed to fetch/);
    const sessions = await stack.gatehouse.users.listSessions((await stack.gatehouse.users.getByUsername("pat")).id);
    assert.equal(sessions.length, 1, "only the listed origin's sign-in made a session");
  } finally {
    await context.close();
  }
});

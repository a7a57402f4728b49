/**
 * One clock for the whole service: `createGatehouse({ now })` reaches the pages and the cookies,
 * not only the domain. A clock frozen in 2020 shows up wherever the service says "now".
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { FormClient, textOf } from "./harness.js";

const FROZEN = Date.UTC(2020, 0, 1, 12, 0, 0);
let stack: Stack;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "gatehouse-clock-"));
  stack = await startStack({ database: `sqlite:${join(dir, "clock.db")}`, config: { now: () => FROZEN } });
  await stack.gatehouse.users.create({ username: "tess", password: "tess-password-1" });
});
after(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the account page measures 'last active' with the service's clock, not the machine's", async () => {
  const client = new FormClient(stack.url);
  await client.signIn("tess", "tess-password-1");
  const page = await client.get("/account");
  assert.equal(page.status, 200);
  // The session was seen at FROZEN by the domain; the page, on the same clock, calls that "just now".
  assert.match(textOf(page.html), /just now/);
  assert.doesNotMatch(textOf(page.html), /years? ago/);
});

test("the sign-in binding cookie's Max-Age is the transaction's lifetime on the service's clock", async () => {
  const res = await fetch(`${stack.url}/auth/github`, { redirect: "manual" });
  assert.equal(res.status, 302);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("gatehouse_oauth=")) ?? "";
  assert.match(cookie, /Max-Age=600(;|$)/);
});

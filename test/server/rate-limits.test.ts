import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { startStack } from "./harness.js";
import type { Stack } from "./harness.js";

/** Defect 10: password login is rate limited per account and per address, with keys a client cannot rotate. */
forEachDatabase("password login rate limits over HTTP", (db) => {
  async function login(stack: Stack, username: string, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(`${stack.url}/api/users/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ username, password: "not-the-password" }),
    });
    await res.body?.cancel();
    return res.status;
  }

  function withStack(config: NonNullable<Parameters<typeof startStack>[0]["config"]>, body: (stack: () => Stack) => void): void {
    let stack: Stack;
    before(async () => { stack = await startStack({ database: await db.fresh(), config }); });
    after(async () => { await stack.close(); });
    body(() => stack);
  }

  describe("per username", () => withStack({ loginLimits: { perAddress: { limit: 100, windowMs: 60_000 }, perUsername: { limit: 3, windowMs: 60_000 } } }, (stack) => {
    test("the per-username count ignores case and surrounding spaces", async () => {
      await stack().gatehouse.users.create({ username: "rita", password: "rita-password-1" });
      const statuses = [];
      for (const name of ["rita", "RITA", " Rita "]) statuses.push(await login(stack(), name));
      assert.deepEqual(statuses, [401, 401, 401]);
      const res = await fetch(`${stack().url}/api/users/login`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "rItA", password: "rita-password-1" }),
      });
      assert.equal(res.status, 429, "even the right password waits");
    });
  }));

  describe("per address, no trusted proxy", () => withStack({ loginLimits: { perAddress: { limit: 3, windowMs: 60_000 }, perUsername: { limit: 100, windowMs: 60_000 } } }, (stack) => {
    test("the per-address count uses the socket address: a forged X-Forwarded-For does not reset it", async () => {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await login(stack(), `user-${i}`, { "x-forwarded-for": `203.0.113.${i}` }));
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    });
  }));

  describe("behind one trusted proxy", () => withStack({ trustProxy: 1, loginLimits: { perAddress: { limit: 2, windowMs: 60_000 }, perUsername: { limit: 100, windowMs: 60_000 } } }, (stack) => {
    test("the client address is the right-most X-Forwarded-For entry (the one the proxy appended)", async () => {
      // The client controls the left part of the header; only the proxy's own entry counts.
      assert.equal(await login(stack(), "u1", { "x-forwarded-for": "1.1.1.1, 192.0.2.10" }), 401);
      assert.equal(await login(stack(), "u2", { "x-forwarded-for": "2.2.2.2, 192.0.2.10" }), 401);
      assert.equal(await login(stack(), "u3", { "x-forwarded-for": "3.3.3.3, 192.0.2.10" }), 429);
      assert.equal(await login(stack(), "u4", { "x-forwarded-for": "192.0.2.11" }), 401, "another client behind the proxy has its own count");
    });
  }));
});

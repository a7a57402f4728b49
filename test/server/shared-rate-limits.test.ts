/**
 * Two service instances on one PostgreSQL share their attempt limits: the guesses one instance
 * allowed count at the other. (SQLite serves one process and keeps its limits in memory.)
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { startStack } from "./harness.js";
import type { Stack } from "./harness.js";

async function login(stack: Stack, username: string, password = "not-the-password"): Promise<number> {
  const res = await fetch(`${stack.url}/api/users/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  await res.body?.cancel();
  return res.status;
}

forEachDatabase("shared login limits", (db) => {
  if (db.name !== "postgres") return;
  test("two instances on one PostgreSQL: the per-username limit counts attempts at both, and a success at one resets it for both", async () => {
    const url = await db.fresh();
    const config = { loginLimits: { perUsername: { limit: 4, windowMs: 60_000 }, perAddress: { limit: 100, windowMs: 60_000 } } };
    const a = await startStack({ database: url, config });
    after(() => a.close());
    const b = await startStack({ database: url, config });
    after(() => b.close());
    await a.gatehouse.users.create({ username: "rita", password: "rita-password-1" });
    assert.deepEqual([await login(a, "rita"), await login(b, "rita"), await login(a, "rita"), await login(b, "rita")], [401, 401, 401, 401]);
    assert.equal(await login(a, "rita"), 429, "the fifth guess is refused, wherever it lands");
    assert.equal(await login(b, "rita", "rita-password-1"), 429, "even the right password waits");

    await a.gatehouse.users.create({ username: "sam", password: "sam-password-1" });
    assert.equal(await login(a, "sam"), 401);
    assert.equal(await login(b, "sam", "sam-password-1"), 200);
    assert.deepEqual([await login(a, "sam"), await login(a, "sam"), await login(b, "sam"), await login(b, "sam")], [401, 401, 401, 401], "the success reset the count everywhere");
  });
});

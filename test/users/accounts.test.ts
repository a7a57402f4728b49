import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { forEachDatabase } from "../store/databases.js";
import { openStore } from "../../src/store/index.js";
import { Users, UsersError } from "../../src/users/index.js";
import { TEST_SCRYPT } from "../support/scrypt.js";

forEachDatabase("admin management in the domain", (db) => {
  async function setup() {
    const store = await openStore(await db.fresh());
    const users = new Users({ store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000", passwordParams: TEST_SCRYPT });
    return { store, users };
  }

  test("two admins demoting, disabling or deleting each other at once leave one active admin", async () => {
    const { store, users } = await setup();
    try {
      const ops = [
        (name: string) => users.update(name, { role: "user" }),
        (name: string) => users.update(name, { disabled: true }),
        (name: string) => users.delete(name),
      ];
      for (let round = 0; round < 6; round++) {
        const [a, b] = [`adm-a-${round}`, `adm-b-${round}`];
        await users.create({ username: a, role: "admin" });
        await users.create({ username: b, role: "admin" });
        // Leave exactly these two active admins.
        for (const u of (await users.list({ limit: 200 })).users) {
          if (u.role === "admin" && u.username !== a && u.username !== b && !u.disabled) await users.update(u.username, { role: "user" });
        }
        const op = ops[round % ops.length];
        assert.ok(op);
        const results = await Promise.allSettled([op(a), op(b)]);
        const refused = results.filter((r) => r.status === "rejected");
        assert.equal(refused.length, 1, `round ${round}: one of the two must be refused`);
        assert.match(String((refused[0] as PromiseRejectedResult).reason), /last active admin/);
        assert.equal(await store.users.countActiveAdmins(), 1, `round ${round}`);
      }
    } finally {
      await store.close();
    }
  });

  test("guessing the current password through a password change is rate limited like sign-in", async () => {
    const store = await openStore(await db.fresh());
    const users = new Users({
      store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000", passwordParams: TEST_SCRYPT,
      loginLimits: { perUsername: { limit: 3, windowMs: 60_000 } },
    });
    try {
      const carl = await users.create({ username: "carl", password: "carl-password-1" });
      for (let i = 0; i < 3; i++) {
        await assert.rejects(users.changePassword(carl.id, `guess-number-${i}`, "attacker-password"), (e) => e instanceof UsersError && e.code === "invalid_credentials");
      }
      await assert.rejects(users.changePassword(carl.id, "carl-password-1", "attacker-password"),
        (e) => e instanceof UsersError && e.code === "rate_limited" && (e.retryAfter ?? 0) > 0);
      await assert.rejects(users.signInWithPassword("carl", "carl-password-1"), (e) => e instanceof UsersError && e.code === "rate_limited",
        "sign-in and re-authentication share the per-account count");
    } finally {
      await store.close();
    }
  });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { forEachDatabase } from "../store/databases.js";
import { openStore } from "../../src/store/index.js";
import { Users, UsersError } from "../../src/users/index.js";
import { TEST_SCRYPT } from "../support/scrypt.js";

const MIN = 60_000;

forEachDatabase("sessions and passwords in the domain", (db) => {
  async function setup(now: () => number) {
    const store = await openStore(await db.fresh());
    const users = new Users({
      store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000", now,
      sessions: { idleTimeoutMs: 60 * MIN, maxAgeMs: 24 * 60 * MIN, touchIntervalMs: MIN },
      passwordParams: TEST_SCRYPT,
    });
    return { store, users };
  }

  test("only the SHA-256 of a session token is stored", async () => {
    let clock = 1_800_000_000_000;
    const { store, users } = await setup(() => clock);
    try {
      await users.create({ username: "ann", password: "ann-password-1" });
      const { token, user } = await users.signInWithPassword("ann", "ann-password-1");
      assert.equal(Buffer.from(token, "base64url").length, 32);
      const [session] = await users.listSessions(user.id);
      const found = await store.sessions.findLive(token, { now: clock, idleCutoff: 0 });
      assert.equal(found, undefined, "the raw token is not a key");
      assert.ok(session);
    } finally {
      await store.close();
    }
  });

  test("idle and absolute expiry both end a session; last_seen is written at most once a minute", async () => {
    let clock = 1_800_000_000_000;
    const { store, users } = await setup(() => clock);
    try {
      await users.create({ username: "ben", password: "ben-password-1" });
      const { token, user } = await users.signInWithPassword("ben", "ben-password-1");
      clock += 30 * 1000;
      const a = await users.authenticate(token);
      assert.equal(a?.session.lastSeenAt.getTime(), clock - 30 * 1000, "not touched within the minute");
      clock += 31 * 1000;
      const b = await users.authenticate(token);
      assert.equal(b?.session.lastSeenAt.getTime(), clock, "touched after a minute");
      clock += 61 * MIN;
      assert.equal(await users.authenticate(token), undefined, "idle timeout");

      const fresh = await users.signInWithPassword("ben", "ben-password-1");
      for (let i = 0; i < 24; i++) {
        clock += 59 * MIN;
        assert.ok(await users.authenticate(fresh.token), `alive at step ${i}`);
      }
      clock += 59 * MIN;
      assert.equal(await users.authenticate(fresh.token), undefined, "absolute expiry after 24 h even when used");
      const purged = await users.purgeExpired();
      assert.equal(purged.sessions, 2);
      assert.deepEqual(await users.listSessions(user.id), []);
    } finally {
      await store.close();
    }
  });

  test("revocation takes effect at once even though last_seen_at is written only once a minute", async () => {
    const clock = 1_800_000_000_000;
    const { store, users } = await setup(() => clock);
    try {
      await users.create({ username: "cat", password: "cat-password-1" });
      await users.create({ username: "dan", password: "dan-password-1" });
      await users.create({ username: "eve", password: "eve-password-1" });
      const sign = async (name: string) => (await users.signInWithPassword(name, `${name}-password-1`)).token;
      // Each token is checked (so its last touch is now, the clock stands still), then revoked.
      const out = await sign("cat");
      assert.ok(await users.authenticate(out));
      await users.signOut(out);
      assert.equal(await users.authenticate(out), undefined, "sign-out");
      const pw = await sign("cat");
      const cat = await users.authenticate(pw);
      assert.ok(cat);
      await users.changePassword(cat.user.id, "cat-password-1", "cat-password-2");
      assert.equal(await users.authenticate(pw), undefined, "password change");
      const dis = await sign("dan");
      assert.ok(await users.authenticate(dis));
      await users.update("dan", { disabled: true });
      assert.equal(await users.authenticate(dis), undefined, "disable");
      const del = await sign("eve");
      assert.ok(await users.authenticate(del));
      await users.delete("eve");
      assert.equal(await users.authenticate(del), undefined, "delete");
    } finally {
      await store.close();
    }
  });

  test("a session check during another request's open transaction sees only committed rows", async () => {
    const clock = 1_800_000_000_000;
    const { store, users } = await setup(() => clock);
    try {
      await users.create({ username: "fay", password: "fay-password-1" });
      const { token, user } = await users.signInWithPassword("fay", "fay-password-1");
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let checked: Promise<unknown> | undefined;
      const tx = store.transaction(async (t) => {
        await t.sessions.deleteAllForUser(user.id);
        // The check starts while the deletion is uncommitted; the transaction then rolls back.
        checked = users.authenticate(token);
        setTimeout(release, 20);
        await held;
        throw new Error("roll back");
      });
      await assert.rejects(tx, /roll back/);
      assert.ok(await checked, "the rolled-back deletion was never seen");
    } finally {
      await store.close();
    }
  });

  test("passwords are scrypt with per-user salt and their parameters; two equal passwords hash differently", async () => {
    const { store, users } = await setup(Date.now);
    try {
      const a = await users.create({ username: "cy", password: "same-password-1" });
      const b = await users.create({ username: "di", password: "same-password-1" });
      const ra = await store.users.findById(a.id);
      const rb = await store.users.findById(b.id);
      assert.match(ra?.password_hash ?? "", /^scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
      assert.notEqual(ra?.password_hash, rb?.password_hash);
      await assert.rejects(users.create({ username: "ed", password: "short" }), (e) => e instanceof UsersError && e.code === "invalid_input" && e.field === "password");
    } finally {
      await store.close();
    }
  });

  test("rate limit per client address spans usernames", async () => {
    const store = await openStore(await db.fresh());
    const users = new Users({
      store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000", passwordParams: TEST_SCRYPT,
      loginLimits: { perAddress: { limit: 3, windowMs: MIN }, perUsername: { limit: 100, windowMs: MIN } },
    });
    try {
      for (const name of ["u1", "u2", "u3"]) {
        await assert.rejects(users.signInWithPassword(name, "whatever-pass", { address: "10.0.0.1" }), (e) => e instanceof UsersError && e.code === "invalid_credentials");
      }
      await assert.rejects(users.signInWithPassword("u4", "whatever-pass", { address: "10.0.0.1" }), (e) => e instanceof UsersError && e.code === "rate_limited" && (e.retryAfter ?? 0) > 0);
      await assert.rejects(users.signInWithPassword("u4", "whatever-pass", { address: "10.0.0.2" }), (e) => e instanceof UsersError && e.code === "invalid_credentials");
    } finally {
      await store.close();
    }
  });
});

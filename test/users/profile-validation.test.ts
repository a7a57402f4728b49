import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import { Users, UsersError } from "../../src/users/index.js";
import type { ProfileUpdate } from "../../src/users/index.js";

/** Every profile field the service takes (page form, PUT /api/users, admin create) goes through these checks. */
test("profile fields: bad values are refused with the field named, good ones are kept", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-profile-"));
  const store = await openStore(`sqlite:${join(dir, "t.db")}`);
  try {
    const users = new Users({ store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000" });
    const ivy = await users.create({ username: "ivy" });
    const refused: Array<[ProfileUpdate, string]> = [
      [{ name: "\u202Enimda" }, "name"], // shown reversed: "admin"
      [{ name: "two\u2028lines" }, "name"],
      [{ name: "bell\u0007" }, "name"],
      [{ name: "c1\u0085" }, "name"],
      [{ name: "x".repeat(201) }, "name"],
      [{ email: "not an email" }, "email"],
      [{ email: "a@b\u202E" }, "email"],
      [{ avatarUrl: "javascript:alert(1)" }, "avatar"],
      [{ avatarUrl: "/relative.png" }, "avatar"],
      [{ avatarUrl: "https://user:secret@images.example/a.png" }, "avatar"],
      [{ avatarUrl: "ftp://images.example/a.png" }, "avatar"],
      [{ theme: "purple" }, "theme"],
    ];
    for (const [update, field] of refused) {
      await assert.rejects(users.updateProfile(ivy.id, update),
        (e) => e instanceof UsersError && e.code === "invalid_input" && e.field === field, JSON.stringify(update));
    }
    await assert.rejects(users.create({ username: "jay", name: "\u202Enimda" }), (e) => e instanceof UsersError && e.field === "name");
    const ok = await users.updateProfile(ivy.id, { name: "  Ivy Ünal  ", email: "ivy@example.com", avatarUrl: "http://images.example/ivy.png", theme: "light" });
    assert.deepEqual([ok.name, ok.email, ok.avatarUrl, ok.theme], ["Ivy Ünal", "ivy@example.com", "http://images.example/ivy.png", "light"]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * GATEHOUSE_ADMINS (policy.admins) and invites: admin rights from the list go only to the first
 * account that claims the login, never through an invite, and an invite naming a login another
 * GitHub id holds here cannot be claimed by a new id that took the login over.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { signInWithGitHub, startStack } from "./harness.js";
import type { Stack } from "./harness.js";

async function location(stack: Stack, login: string): Promise<string | null> {
  return (await signInWithGitHub(stack, stack.browser(), login)).headers.get("location");
}

forEachDatabase("admins list and invites", (db) => {
  test("a new GitHub id that took a listed admin login cannot claim an invite for it, nor become admin through it", async () => {
    const stack = await startStack({ database: await db.fresh(), config: { policy: { admins: ["alice"] } } });
    after(() => stack.close());
    assert.equal(await location(stack, "alice"), "/");
    const real = await stack.gatehouse.users.getByUsername("alice");
    assert.equal(real.role, "admin");
    // An admin invites another account for the login `alice`, as a plain user.
    const invite = await stack.gatehouse.users.create({ username: "alice-second", githubLogin: "alice", role: "user" });
    // The real alice renames on GitHub; a different account (new id) registers `alice`.
    stack.gh.renameUser("alice", "alice-old");
    stack.gh.addUser({ login: "alice", id: 9101, name: "Not Alice", emails: [{ email: "not-alice@example.com", primary: true, verified: true, visibility: "public" }] });
    assert.equal(await location(stack, "alice"), "/login?error=not_invited");
    const pending = await stack.gatehouse.users.get(invite.id);
    assert.equal(pending.invitedGitHubLogin, "alice", "the invite is still pending");
    assert.equal(pending.role, "user");
    assert.ok(stack.logs.some((l) => /invite not claimed: its login is bound to another GitHub account/.test(l)));

    // Once the real alice signs in under her new login, `alice` is bound to nobody here: the invite
    // is claimable, with the role the admin chose, never the admins list's.
    assert.equal(await location(stack, "alice-old"), "/");
    assert.equal(await location(stack, "alice"), "/");
    const claimed = await stack.gatehouse.users.get(invite.id);
    assert.equal(claimed.invitedGitHubLogin, null);
    assert.equal(claimed.role, "user");
    assert.equal((await stack.gatehouse.users.get(real.id)).role, "admin");
  });

  test("a listed login signing in through an invite keeps the invited role", async () => {
    const stack = await startStack({ database: await db.fresh(), config: { policy: { admins: ["carol"] } } });
    after(() => stack.close());
    const invite = await stack.gatehouse.users.create({ username: "carol-invited", githubLogin: "carol", role: "user" });
    assert.equal(await location(stack, "carol"), "/");
    const bound = await stack.gatehouse.users.get(invite.id);
    assert.equal(bound.role, "user");
    assert.equal(bound.invitedGitHubLogin, null);
  });
});

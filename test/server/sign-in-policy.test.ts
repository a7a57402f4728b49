import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { signInWithGitHub, startStack } from "./harness.js";
import type { Stack } from "./harness.js";
import type { GatehouseConfig } from "../../src/index.js";

function withStack(fresh: () => Promise<string>, config: Partial<GatehouseConfig>, body: (s: () => Stack) => void): void {
  let stack: Stack;
  before(async () => { stack = await startStack({ database: await fresh(), config }); });
  after(async () => { await stack.close(); });
  body(() => stack);
}

async function location(stack: Stack, login: string): Promise<string | null> {
  return (await signInWithGitHub(stack, stack.browser(), login)).headers.get("location");
}

forEachDatabase("sign-in policy", (db) => {
  describe("invite-only signup", () => withStack(() => db.fresh(), { policy: { signup: "invite" } }, (stack) => {
    test("an uninvited GitHub account is refused with not_invited and nothing is created", async () => {
      assert.equal(await location(stack(), "alice"), "/login?error=not_invited");
      assert.equal((await stack().gatehouse.users.list()).total, 0);
    });

    test("an account an admin created for a GitHub login is bound to that account's id at first sign-in", async () => {
      const invited = await stack().gatehouse.users.create({ username: "carol-local", githubLogin: "CAROL" });
      assert.equal(await location(stack(), "carol"), "/");
      const bound = await stack().gatehouse.users.get(invited.id);
      assert.deepEqual(bound.github, { id: 1003, login: "carol" });
      assert.equal(bound.invitedGitHubLogin, null);
      assert.equal(bound.username, "carol-local");
    });

    test("after a rename, a new account that takes the invited login cannot claim the bound account", async () => {
      stack().gh.renameUser("carol", "carol-new");
      stack().gh.addUser({ login: "carol", id: 9001, name: "Someone else", emails: [{ email: "else@example.com", primary: true, verified: true, visibility: "public" }] });
      assert.equal(await location(stack(), "carol"), "/login?error=not_invited");
      assert.equal(await location(stack(), "carol-new"), "/", "the real carol still signs in");
    });
  }));

  describe("organisation rule", () => withStack(() => db.fresh(), { policy: { orgs: ["acme"] } }, (stack) => {
    test("an active org member signs in; a pending invitation is not membership", async () => {
      assert.equal(await location(stack(), "alice"), "/");
      assert.equal(await location(stack(), "bob"), "/login?error=not_in_org");
      await assert.rejects(stack().gatehouse.users.getByUsername("bob"));
    });

    test("the rule is re-checked at every sign-in: leaving the org locks the user out", async () => {
      assert.equal(await location(stack(), "carol"), "/");
      stack().gh.setOrgMembership("carol", "acme", null);
      assert.equal(await location(stack(), "carol"), "/login?error=not_in_org");
    });

    test("read:org is requested when an org rule is set", async () => {
      const res = await stack().browser().fetch("/auth/github");
      const scope = new URL(res.headers.get("location") ?? "").searchParams.get("scope") ?? "";
      assert.ok(scope.split(/[ ,]/).includes("read:org"), scope);
    });
  }));

  describe("team rule", () => withStack(() => db.fresh(), { policy: { teams: ["acme/devs"] } }, (stack) => {
    test("a team member signs in; an org member outside the team is refused with not_in_team", async () => {
      assert.equal(await location(stack(), "alice"), "/");
      assert.equal(await location(stack(), "carol"), "/login?error=not_in_team");
    });

    test("a pending team membership is not membership", async () => {
      stack().gh.setTeamMembership("carol", "acme", "devs", { state: "pending" });
      assert.equal(await location(stack(), "carol"), "/login?error=not_in_team");
      stack().gh.setTeamMembership("carol", "acme", "devs", { state: "active" });
      assert.equal(await location(stack(), "carol"), "/");
    });
  }));

  describe("first-sign-in admins", () => withStack(() => db.fresh(), { policy: { admins: ["Alice"] } }, (stack) => {
    test("a login listed in admins becomes admin at its first sign-in; others are users", async () => {
      await location(stack(), "alice");
      await location(stack(), "carol");
      assert.equal((await stack().gatehouse.users.getByUsername("alice")).role, "admin");
      assert.equal((await stack().gatehouse.users.getByUsername("carol")).role, "user");
    });

    test("after a rename, a new GitHub account that re-registers an admin login is not made admin", async () => {
      stack().gh.renameUser("alice", "alice-moved");
      assert.equal(await location(stack(), "alice-moved"), "/");
      stack().gh.addUser({ login: "alice", id: 9101, name: "Not Alice", emails: [{ email: "not-alice@example.com", primary: true, verified: true, visibility: "public" }] });
      assert.equal(await location(stack(), "alice"), "/");
      const page = await stack().gatehouse.users.list({ search: "alice" });
      const impostor = page.users.find((u) => u.github?.id === 9101);
      assert.equal(impostor?.role, "user");
      assert.equal((await stack().gatehouse.users.getByUsername("alice")).role, "admin", "the first alice stays admin");
    });

    test("a disabled GitHub-linked user cannot sign in again", async () => {
      await stack().gatehouse.users.update("carol", { disabled: true });
      assert.equal(await location(stack(), "carol"), "/login?error=account_disabled");
    });
  }));
});

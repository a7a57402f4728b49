import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { signInWithGitHub, startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { UsersError } from "../../src/users/index.js";
import type { User } from "../../src/users/index.js";

forEachDatabase("profile fields set in Gatehouse and GitHub sign-ins", (db) => {
  let stack: Stack;
  before(async () => { stack = await startStack({ database: await db.fresh() }); });
  after(async () => { await stack.close(); });

  /** A GitHub user of its own per test, signed in once. */
  async function gitHubUser(login: string, id: number): Promise<User> {
    stack.gh.addUser({ login, id, name: `${login} at GitHub`, emails: [{ email: `${login}@github.test`, primary: true, verified: true, visibility: "private" }] });
    await signInWithGitHub(stack, stack.browser(), login);
    return stack.gatehouse.users.getByUsername(login);
  }

  /** What the user changes at GitHub between two sign-ins. */
  function changeAtGitHub(login: string): void {
    stack.gh.setProfile(login, { name: `${login} renamed at GitHub`, newAvatar: true });
    stack.gh.setEmails(login, [{ email: `${login}@new.github.test`, primary: true, verified: true, visibility: "private" }]);
  }

  async function flags(id: number) {
    const row = await stack.gatehouse.store.users.findById(id);
    return { name: row?.name_edited, email: row?.email_edited, avatar: row?.avatar_edited };
  }

  test("a name and email set in Gatehouse survive a GitHub sign-in; the unedited avatar and the login follow GitHub", async () => {
    const users = stack.gatehouse.users;
    const before = await gitHubUser("pat", 3001);
    assert.equal(before.name, "pat at GitHub");
    await users.updateProfile(before.id, { name: "Pat Local", email: "pat@local.test" });
    assert.deepEqual(await flags(before.id), { name: 1, email: 1, avatar: 0 });

    changeAtGitHub("pat");
    stack.gh.renameUser("pat", "pat-renamed");
    await signInWithGitHub(stack, stack.browser(), "pat-renamed");
    const after = await users.get(before.id);
    assert.equal(after.name, "Pat Local");
    assert.equal(after.email, "pat@local.test");
    assert.notEqual(after.avatarUrl, before.avatarUrl);
    assert.match(after.avatarUrl ?? "", /\/avatars\/u\/3001\?v=1$/, "the avatar follows GitHub's new one");
    assert.deepEqual(after.github, { id: 3001, login: "pat-renamed" }, "the login always follows GitHub");
    assert.deepEqual(after.profileEdited, { name: true, email: true, avatar: false });
  });

  test("a form that posts every field unchanged marks nothing; clearing a field lets GitHub's value back in", async () => {
    const users = stack.gatehouse.users;
    const quinn = await gitHubUser("quinn", 3002);
    // The account page posts every field: the unchanged ones are not edits.
    await users.updateProfile(quinn.id, { name: "Quinn Local", email: quinn.email, avatarUrl: quinn.avatarUrl, theme: "dark" });
    assert.deepEqual(await flags(quinn.id), { name: 1, email: 0, avatar: 0 });

    changeAtGitHub("quinn");
    await signInWithGitHub(stack, stack.browser(), "quinn");
    let now = await users.get(quinn.id);
    assert.equal(now.name, "Quinn Local");
    assert.equal(now.email, "quinn@new.github.test", "an email never edited follows GitHub");

    // Emptying the name: follow GitHub again, from the next sign-in.
    await users.updateProfile(quinn.id, { name: "" });
    assert.equal((await users.get(quinn.id)).name, null);
    assert.deepEqual(await flags(quinn.id), { name: 0, email: 0, avatar: 0 });
    await signInWithGitHub(stack, stack.browser(), "quinn");
    now = await users.get(quinn.id);
    assert.equal(now.name, "quinn renamed at GitHub");
    assert.equal(now.theme, "dark", "the theme is not GitHub's");
  });

  test("an admin's invite with a name and email keeps them at the first GitHub sign-in; what it left empty comes from GitHub", async () => {
    const users = stack.gatehouse.users;
    await users.create({ username: "rae", githubLogin: "rae-gh", name: "Rae (HR)", email: "rae@corp.test" });
    await users.create({ username: "sol", githubLogin: "sol-gh" });
    stack.gh.addUser({ login: "rae-gh", id: 3003, name: "Rae at GitHub", emails: [{ email: "rae@github.test", primary: true, verified: true, visibility: "public" }] });
    stack.gh.addUser({ login: "sol-gh", id: 3004, name: "Sol at GitHub", emails: [{ email: "sol@github.test", primary: true, verified: true, visibility: "public" }] });
    await signInWithGitHub(stack, stack.browser(), "rae-gh");
    await signInWithGitHub(stack, stack.browser(), "sol-gh");
    const rae = await users.getByUsername("rae");
    assert.equal(rae.name, "Rae (HR)");
    assert.equal(rae.email, "rae@corp.test");
    assert.match(rae.avatarUrl ?? "", /\/avatars\/u\/3003$/);
    const sol = await users.getByUsername("sol");
    assert.equal(sol.name, "Sol at GitHub");
    assert.equal(sol.email, "sol@github.test");
  });

  test("the theme is one of system, light, dark; null and empty mean system; a stored stray value reads as system", async () => {
    const users = stack.gatehouse.users;
    const tess = await users.create({ username: "tess" });
    assert.equal(tess.theme, "system");
    for (const theme of ["purple", "Dark", " light", 3, true]) {
      await assert.rejects(users.updateProfile(tess.id, { theme: theme as string }),
        (e) => e instanceof UsersError && e.code === "invalid_input" && e.field === "theme", String(theme));
    }
    assert.equal((await users.updateProfile(tess.id, { theme: "light" })).theme, "light");
    assert.equal((await users.updateProfile(tess.id, { theme: null })).theme, "system");
    assert.equal((await users.updateProfile(tess.id, { theme: "dark" })).theme, "dark");
    assert.equal((await users.updateProfile(tess.id, { theme: "" })).theme, "system");
    // Written before themes were checked: never handed out as it is.
    await stack.gatehouse.store.users.update(tess.id, { theme: "purple" });
    assert.equal((await users.get(tess.id)).theme, "system");
  });
});

/** `/admin/users` over HTTP: who may see it, search and paging, and each confirmed action. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN, FormClient, MEMBER, csrfOf, startPageStack, textOf } from "./harness.js";
import type { PageStack } from "./harness.js";

let stack: PageStack;
let admin: FormClient;
before(async () => {
  stack = await startPageStack();
  admin = new FormClient(stack.url);
  await admin.signIn(ADMIN.username, ADMIN.password);
});
after(() => stack.close());

/** Follows the confirm link for `action` on `username` and posts its form, as a person clicking would. */
async function confirmAction(client: FormClient, username: string, action: string, query = "") {
  const confirm = await client.get(`/admin/users/${username}/${action}${query}`);
  assert.equal(confirm.status, 200, `${action} confirm page`);
  const form = /<form method="post" action="([^"]+)">/.exec(confirm.html.slice(confirm.html.indexOf("<main")))?.[1] ?? "";
  const q = /name="q" value="([^"]*)"/.exec(confirm.html)?.[1] ?? "";
  const page = /name="page" value="([^"]*)"/.exec(confirm.html)?.[1] ?? "1";
  return { confirm, result: await client.post(form, { csrf_token: csrfOf(confirm.html), q, page }) };
}

test("anonymous visitors are sent to sign in (and back); signed-in non-admins get a 403 page", async () => {
  const anon = await new FormClient(stack.url).get("/admin/users?q=x");
  assert.equal(anon.status, 303);
  assert.equal(anon.location, `${stack.url}/login?return_to=%2Fadmin%2Fusers`);
  const member = new FormClient(stack.url);
  await member.signIn(MEMBER.username, MEMBER.password);
  const refused = await member.get("/admin/users");
  assert.equal(refused.status, 403);
  assert.match(textOf(refused.html), /Only administrators can manage users\./);
  assert.doesNotMatch(refused.html, /href="\/admin\/users"/, "no Users link in a non-admin's navigation");
  assert.equal((await member.get("/admin/users/root/delete")).status, 403);
  const csrf = csrfOf((await member.get("/account")).html);
  assert.equal((await member.post("/admin/users/root/delete", { csrf_token: csrf })).status, 403);
  assert.equal((await stack.gatehouse.users.getByUsername("root")).disabled, false);
});

test("the list shows users with GitHub login, role and state; search narrows it; paging walks it", async () => {
  for (let i = 0; i < 23; i++) await stack.gatehouse.users.create({ username: `pager${String(i).padStart(2, "0")}`, role: "user" });
  const first = await admin.get("/admin/users?q=pager");
  assert.equal(first.status, 200);
  const text = textOf(first.html);
  assert.match(text, /Showing 1–20 of 23/);
  assert.match(first.html, /href="\/admin\/users\?q=pager&amp;page=2" rel="next">Next page</);
  const second = await admin.get("/admin/users?q=pager&page=2");
  assert.match(textOf(second.html), /Showing 21–23 of 23/);
  assert.match(second.html, /rel="prev">Previous page</);
  assert.doesNotMatch(second.html, /rel="next"/);
  // Past the end (an old link after deletes): the last page, not an empty one.
  assert.match(textOf((await admin.get("/admin/users?q=pager&page=9")).html), /Showing 21–23 of 23/);
  assert.match(textOf((await admin.get("/admin/users?q=Mia")).html), /mia Mia Member/);
  assert.match(textOf((await admin.get("/admin/users?q=nobody-matches-this")).html), /No users/);
});

test("create: an invited GitHub login without the confirmation tick is refused; with it the user appears at once", async () => {
  const token = csrfOf((await admin.get("/admin/users")).html);
  const fields = { csrf_token: token, username: "Gina", github_login: "gina-gh", role: "admin", name: "Gina", email: "", password: "" };
  const unconfirmed = await admin.post("/admin/users", fields);
  assert.equal(unconfirmed.status, 400);
  assert.match(textOf(unconfirmed.html), /Tick “Give this person access to Gatehouse” to confirm\./);
  assert.match(unconfirmed.html, /id="new-github"[^>]*value="gina-gh"/, "typed values are kept");
  await assert.rejects(stack.gatehouse.users.getByUsername("gina"));

  const created = await admin.post("/admin/users", { ...fields, confirm: "yes" });
  assert.equal(created.status, 303);
  assert.equal(created.location, `${stack.url}/admin/users?done=created&user=gina`);
  const list = await admin.get("/admin/users?done=created&user=gina");
  assert.match(textOf(list.html), /gina was created\./);
  assert.match(textOf(list.html), /gina Gina gina-gh \(invited\) none Admin Active never/);
  const gina = await stack.gatehouse.users.getByUsername("gina");
  assert.equal(gina.role, "admin");
  assert.equal(gina.invitedGitHubLogin, "gina-gh");
  assert.equal(gina.hasPassword, false);

  const taken = await admin.post("/admin/users", { ...fields, github_login: "other-gh", confirm: "yes" });
  assert.equal(taken.status, 409);
  assert.match(textOf(taken.html), /That username is taken\./);
});

test("create with a password: the user can sign in with it; the password is never echoed or logged", async () => {
  const token = csrfOf((await admin.get("/admin/users")).html);
  const res = await admin.post("/admin/users", { csrf_token: token, username: "hal", github_login: "", role: "user", name: "", email: "", password: "hal-secret-pass", confirm: "yes" });
  assert.equal(res.status, 303);
  await new FormClient(stack.url).signIn("hal", "hal-secret-pass");
  const short = await admin.post("/admin/users", { csrf_token: token, username: "hal2", github_login: "", role: "user", name: "", email: "", password: "short", confirm: "yes" });
  assert.equal(short.status, 400);
  assert.match(textOf(short.html), /Password must be at least 8 characters\./);
  assert.ok(!short.html.includes('value="short"'));
  assert.ok(!stack.logs.join("\n").includes("hal-secret-pass"));
});

test("disable asks first (a page naming the user and the consequence), then signs the user out everywhere; enable undoes it", async () => {
  await stack.gatehouse.users.create({ username: "dora", role: "user", password: "dora-pass-123" });
  const dora = new FormClient(stack.url);
  await dora.signIn("dora", "dora-pass-123");
  const { confirm, result } = await confirmAction(admin, "dora", "disable", "?q=dor");
  assert.match(textOf(confirm.html), /Disable dora\? They are signed out everywhere at once/);
  assert.match(confirm.html, /<button type="submit" class="primary danger-fill">Disable dora<\/button>/);
  assert.match(confirm.html, /<a href="\/admin\/users\?q=dor">Cancel<\/a>/);
  assert.equal(result.status, 303);
  assert.equal(result.location, `${stack.url}/admin/users?q=dor&done=disable&user=dora`);
  const list = await admin.get("/admin/users?q=dor&done=disable&user=dora");
  assert.match(textOf(list.html), /dora is disabled and was signed out everywhere\./);
  assert.match(textOf(list.html), /dora none password User Disabled/);
  assert.match(list.html, /href="\/admin\/users\/dora\/enable\?q=dor">Enable<span class="visually-hidden"> dora</);
  assert.equal((await dora.get("/account")).status, 303, "dora's next request is signed out");
  assert.equal((await new FormClient(stack.url).post("/login", { username: "dora", password: "dora-pass-123", return_to: "/account" })).status, 403);

  const enabled = await confirmAction(admin, "dora", "enable");
  assert.equal(enabled.result.status, 303);
  await new FormClient(stack.url).signIn("dora", "dora-pass-123");
});

test("role change and delete are confirmed and reflected; deleting the last active admin is refused with a sentence", async () => {
  await stack.gatehouse.users.create({ username: "ravi", role: "user" });
  assert.equal((await confirmAction(admin, "ravi", "make-admin")).result.status, 303);
  assert.equal((await stack.gatehouse.users.getByUsername("ravi")).role, "admin");
  assert.equal((await confirmAction(admin, "ravi", "make-user")).result.status, 303);
  assert.equal((await stack.gatehouse.users.getByUsername("ravi")).role, "user");
  const deleted = await confirmAction(admin, "ravi", "delete");
  assert.match(textOf(deleted.confirm.html), /Delete ravi\? .*This cannot be undone\./);
  assert.equal(deleted.result.status, 303);
  assert.match(textOf((await admin.get(new URL(deleted.result.location ?? "").pathname + new URL(deleted.result.location ?? "").search)).html), /ravi was deleted\./);
  await assert.rejects(stack.gatehouse.users.getByUsername("ravi"));

  // gina (created above as admin) is invited but active; demote her so root is the last admin.
  await stack.gatehouse.users.update("gina", { role: "user" });
  const last = await confirmAction(admin, "root", "delete");
  assert.equal(last.result.status, 409);
  assert.match(textOf(last.result.html), /Delete root\?/);
  assert.ok(textOf(last.result.html).length > 0);
  assert.match(last.result.html, /role="alert">[A-Z][^<]*admin[^<]*\.</);
  assert.equal((await stack.gatehouse.users.getByUsername("root")).role, "admin");
});

test("an action post without the CSRF token is refused and changes nothing; unknown users and actions get 404 pages", async () => {
  await stack.gatehouse.users.create({ username: "ivy", role: "user" });
  const refused = await admin.post("/admin/users/ivy/delete", {});
  assert.equal(refused.status, 403);
  assert.equal((await stack.gatehouse.users.getByUsername("ivy")).username, "ivy");
  assert.equal((await admin.get("/admin/users/nobody/delete")).status, 404);
  assert.equal((await admin.get("/admin/users/ivy/explode")).status, 404);
});

test("names, logins and search terms are escaped everywhere (stored and reflected markup stays text)", async () => {
  await stack.gatehouse.users.create({ username: "xss", role: "user", name: `<img src=x onerror=alert(1)>` });
  const page = await admin.get(`/admin/users?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
  assert.ok(!page.html.includes("<script>alert(1)"));
  assert.match(page.html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  const list = await admin.get("/admin/users?q=xss");
  assert.ok(!list.html.includes("<img src=x"));
  assert.match(list.html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  // The done/user notice never reflects free text.
  const odd = await admin.get(`/admin/users?done=created&user=${encodeURIComponent("<b>x</b>")}`);
  assert.doesNotMatch(odd.html, /was created/);
});

test("an admin who removes their own admin rights is told so on their account page, not shown a 403 'Not allowed' page", async () => {
  await stack.gatehouse.users.create({ username: "selma", role: "admin", password: "selma-pass-123" });
  const selma = new FormClient(stack.url);
  await selma.signIn("selma", "selma-pass-123");
  const { confirm, result } = await confirmAction(selma, "selma", "make-user");
  assert.match(textOf(confirm.html), /This is your own account: you will no longer be able to manage users/);
  assert.equal(result.status, 303);
  assert.equal(result.location, `${stack.url}/account?saved=demoted`);
  const account = await selma.get("/account?saved=demoted");
  assert.equal(account.status, 200);
  assert.match(textOf(account.html), /You are no longer an administrator\./);
  assert.equal((await stack.gatehouse.users.getByUsername("selma")).role, "user");
  // Acting on someone else says nothing about "your own account".
  await stack.gatehouse.users.create({ username: "tess", role: "admin" });
  assert.doesNotMatch(textOf((await admin.get("/admin/users/tess/make-user")).html), /your own account/);
});

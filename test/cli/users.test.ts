/**
 * `gatehouse users ...` as child processes on a temporary SQLite database; the effects are checked
 * through the domain on the same file (as a running server would see them).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { openStore, Users, UsersError } from "../../src/index.js";
import type { Store } from "../../src/index.js";
import { main } from "../../src/cli/users.js";
import { cliEnv, runCli } from "./run-cli.js";

let dir: string;
let database: string;
let env: NodeJS.ProcessEnv;
let store: Store;
let users: Users;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-users-"));
  database = `sqlite:${join(dir, "gatehouse.db")}`;
  // The database comes from GATEHOUSE_DATABASE_URL, as for `serve`; the local secret goes to a temp folder.
  env = cliEnv({ GATEHOUSE_DATABASE_URL: database, GATEHOUSE_DATA_DIR: join(dir, "data") });
  store = await openStore(database);
  users = new Users({ store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000" });
});

after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function users_(...args: string[]) {
  return runCli(["users", ...args], env);
}

test("create an admin and a GitHub invitation, then list them as a table and as JSON", async () => {
  const admin = await users_("create", "root", "--role", "admin", "--name", "Root Admin");
  assert.equal(admin.status, 0, admin.stderr);
  assert.match(admin.stdout, /^Created root \(admin\); no way to sign in yet/);
  const invited = await users_("create", "Grace", "--github", "grace-gh", "--email", "grace@example.com");
  assert.equal(invited.status, 0, invited.stderr);
  assert.match(invited.stdout, /^Created grace \(user\); signs in with GitHub as @grace-gh\.$/m);
  assert.equal((await users.getByUsername("grace")).invitedGitHubLogin, "grace-gh");

  const [table, json, search] = await Promise.all([users_("list"), users_("list", "--json"), users_("list", "--search", "GRACE@", "--json")]);
  assert.equal(table.status, 0, table.stderr);
  const lines = table.stdout.trim().split("\n");
  assert.match(lines[0] ?? "", /^USERNAME +ROLE +STATUS +GITHUB +PASSWORD +LAST SIGN-IN +NAME$/);
  assert.ok(lines.some((l) => /^grace +user +active +invited: grace-gh +no +never$/.test(l)), table.stdout);
  assert.ok(lines.some((l) => /^root +admin +active +- +no +never +Root Admin$/.test(l)), table.stdout);
  const list = JSON.parse(json.stdout) as Array<{ username: string; role: string; has_password: boolean }>;
  assert.deepEqual(list.map((u) => u.username).filter((u) => u === "grace" || u === "root"), ["grace", "root"]);
  assert.ok(list.every((u) => !("password_hash" in u)));
  assert.deepEqual((JSON.parse(search.stdout) as Array<{ username: string }>).map((u) => u.username), ["grace"]);
});

test("create --password-stdin: the piped password signs in; a password in argv is refused before anything is written", async () => {
  const created = await runCli(["users", "create", "heidi", "--password-stdin"], env, "correct horse battery\n");
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /signs in with a password/);
  const signedIn = await users.signInWithPassword("heidi", "correct horse battery");
  assert.equal(signedIn.user.username, "heidi");

  const argv = await users_("create", "ivan", "--password", "hunter2hunter2");
  assert.equal(argv.status, 2);
  assert.match(argv.stderr, /never taken as an argument.*--password-stdin/);
  assert.ok(!argv.stderr.includes("hunter2hunter2"));
  await assert.rejects(users.getByUsername("ivan"), (err: unknown) => err instanceof UsersError && err.code === "not_found");

  const short = await runCli(["users", "create", "ivan", "--password-stdin"], env, "short\n");
  assert.equal(short.status, 2);
  assert.match(short.stderr, /password must be at least 8 characters/);
});

test("disable ends the user's sessions at once; enable lets them sign in again", async () => {
  await users.create({ username: "judy", password: "judy-password" });
  const { token } = await users.signInWithPassword("judy", "judy-password");
  assert.ok(await users.authenticate(token));

  const disabled = await users_("disable", "judy");
  assert.equal(disabled.status, 0, disabled.stderr);
  assert.equal(disabled.stdout, "Disabled judy; their sessions have ended.\n");
  assert.equal(await users.authenticate(token), undefined, "the open session no longer works");
  await assert.rejects(users.signInWithPassword("judy", "judy-password"));

  const enabled = await users_("enable", "judy");
  assert.equal(enabled.status, 0, enabled.stderr);
  assert.equal((await users.signInWithPassword("judy", "judy-password")).user.disabled, false);
});

test("set-role promotes and demotes; the last active admin cannot be demoted", async () => {
  await users.create({ username: "mallory", role: "user" });
  const promoted = await users_("set-role", "mallory", "admin");
  assert.equal(promoted.status, 0, promoted.stderr);
  assert.equal((await users.getByUsername("mallory")).role, "admin");
  assert.equal((await users_("set-role", "mallory", "user")).status, 0);

  // Make sure only one active admin is left, then try to demote it.
  const { users: all } = await users.list({ limit: 200 });
  const admins = all.filter((u) => u.role === "admin" && !u.disabled);
  for (const u of admins.slice(1)) await users.update(u.username, { role: "user" });
  const last = admins[0]?.username ?? "";
  const refused = await users_("set-role", last, "user");
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, "gatehouse users set-role: this is the last active admin; make another admin first\n");
  assert.equal((await users.getByUsername(last)).role, "admin");

  const badRole = await users_("set-role", "mallory", "root");
  assert.equal(badRole.status, 2);
  assert.match(badRole.stderr, /ROLE must be admin or user, not 'root'/);
});

test("delete needs --yes when stdin is not a terminal; with it the user is gone; an unknown user is a one-line error", async () => {
  await users.create({ username: "oscar" });
  const refused = await users_("delete", "oscar");
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /refusing to delete without --yes/);
  assert.equal((await users.getByUsername("oscar")).username, "oscar", "nothing deleted");

  const deleted = await users_("delete", "oscar", "--yes");
  assert.equal(deleted.status, 0, deleted.stderr);
  assert.equal(deleted.stdout, "Deleted oscar.\n");
  await assert.rejects(users.getByUsername("oscar"), (err: unknown) => err instanceof UsersError && err.code === "not_found");

  const unknown = await users_("delete", "oscar", "--yes");
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stderr, 'gatehouse users delete: no user named "oscar"\n');
});

test("usage errors exit 2 with a one-line reason", async () => {
  const results = await Promise.all([
    users_(),
    users_("frobnicate"),
    users_("create"),
    users_("disable", "a", "b"),
    users_("list", "--limit", "500"),
    users_("list", "--database", "mysql://x"),
    users_("create", "bad name!"),
  ]);
  const reasons = [/missing command/, /unknown command 'frobnicate'/, /missing USERNAME/, /unexpected operand 'b'/, /--limit must be a whole number from 1 to 200/,
    /--database must be sqlite:PATH or postgres:/, /username must be 1-39 characters/];
  results.forEach((r, i) => {
    assert.equal(r.status, 2, `${reasons[i]}: ${r.stderr}`);
    assert.match(r.stderr, reasons[i] ?? /./);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });
});

test("--help on every users command prints its usage and exits 0 (in-process: the texts, not the process, are under test here)", async (t) => {
  const printed: string[] = [];
  t.mock.method(console, "log", (text: unknown) => void printed.push(String(text)));
  for (const argv of [["--help"], ...["list", "create", "set-role", "disable", "enable", "delete"].map((c) => [c, "--help"])]) {
    printed.length = 0;
    assert.equal(await main(argv), 0, argv.join(" "));
    const text = printed.join("\n");
    assert.match(text, argv[0] === "--help" ? /^Usage: gatehouse users <command>/ : new RegExp(`^Usage: gatehouse users ${argv[0]} `));
    if (argv[0] !== "--help") assert.match(text, /--database URL/);
  }
});

test("a database path that does not exist is an error for list and the other commands (a typo never answers 'No users.'); only create makes a new one, and says so", async () => {
  const fresh = join(dir, "typo", "typo.db");
  const results = await Promise.all([["list"], ["disable", "root"], ["set-role", "root", "user"], ["delete", "root", "--yes"]].map((args) =>
    runCli(["users", ...args, "--database", `sqlite:${fresh}`], env)));
  for (const r of results) {
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^gatehouse users [a-z-]+: no database at .*typo\.db; check --database or GATEHOUSE_DATABASE_URL/);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.equal(r.stdout, "");
  }
  assert.equal(existsSync(join(dir, "typo")), false, "nothing was created");

  const created = await runCli(["users", "create", "first", "--role", "admin", "--database", `sqlite:${fresh}`], env);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.stderr, `gatehouse: no database at ${fresh} yet; creating a new one\n`);
  const again = await runCli(["users", "list", "--database", `sqlite:${fresh}`], env);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stderr, "", "an existing database opens quietly");
  assert.match(again.stdout, /^first +admin/m);
});

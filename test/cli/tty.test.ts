/**
 * The CLI on a real pseudo-terminal (util-linux `script`): the spinner and browser opening of
 * `login`, Ctrl-C typed at the terminal, the hidden password prompt and the delete confirmation.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { openStore, Users, UsersError } from "../../src/index.js";
import type { Store } from "../../src/index.js";
import { cliEnv, hasScript, startCliOnTerminal } from "./run-cli.js";
import { startServiceStack } from "./service-stack.js";
import type { ServiceStack } from "./service-stack.js";
import { TEST_SCRYPT } from "../support/scrypt.js";

const skip = hasScript() ? false : "util-linux 'script' is not installed (needed for a pseudo-terminal)";

let dir: string;
let database: string;
let store: Store;
let users: Users;
let stack: ServiceStack;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-tty-"));
  database = `sqlite:${join(dir, "gatehouse.db")}`;
  store = await openStore(database);
  users = new Users({ store, secret: randomBytes(32), publicUrl: "http://127.0.0.1:3000", passwordParams: TEST_SCRYPT });
  stack = await startServiceStack();
});

after(async () => {
  if (skip) return;
  await store.close();
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

function dbEnv(): NodeJS.ProcessEnv {
  return cliEnv({ GATEHOUSE_DATABASE_URL: database, GATEHOUSE_DATA_DIR: join(dir, "data") });
}

test("login on a terminal: opens the device page with xdg-open when there is a display, spins, and Ctrl-C typed at the terminal exits 130", { skip }, async () => {
  const bin = mkdtempSync(join(dir, "bin-"));
  const opened = join(bin, "opened.txt");
  // Written aside and renamed, so the record exists only once it holds the whole URL.
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s' "$1" > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`);
  chmodSync(join(bin, "xdg-open"), 0o755);
  const home = mkdtempSync(join(dir, "home-"));
  const env = cliEnv({ XDG_CONFIG_HOME: home, DISPLAY: ":0", PATH: `${bin}:${process.env["PATH"] ?? ""}`, TERM: "xterm" });
  const login = startCliOnTerminal(["login", "--server", stack.url], env);
  await login.waitForStdout(/Opening it in your browser/);
  await login.waitForStdout(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for you to approve/);
  login.child.stdin.write("\x03");
  const done = await login.done;
  assert.equal(done.status, 130, done.stdout);
  assert.match(done.stdout, /gatehouse login: cancelled/);
  assert.ok(done.stdout.includes("\x1b[?25h"), "the cursor is shown again");
  assert.doesNotMatch(done.stdout, /\n\s+at /, "no stack trace");
  // xdg-open runs detached: the CLI's exit says nothing about whether it has run yet.
  for (let i = 0; i < 250 && !existsSync(opened); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(readFileSync(opened, "utf8"), `${stack.gh.url}/login/device`);
  assert.equal(existsSync(join(home, "gatehouse", "credentials.json")), false);
});

test("login on a terminal without a display does not try to open a browser", { skip }, async () => {
  const home = mkdtempSync(join(dir, "home-"));
  const env = cliEnv({ XDG_CONFIG_HOME: home, TERM: "xterm" });
  delete env["DISPLAY"];
  delete env["WAYLAND_DISPLAY"];
  const login = startCliOnTerminal(["login", "--server", stack.url], env);
  const [, code] = await login.waitForStdout(/one-time code: (\S+)/);
  await login.waitForStdout(/Waiting for you to approve/);
  stack.gh.approveDevice(code ?? "", "octocat");
  const done = await login.done;
  assert.equal(done.status, 0, done.stdout);
  assert.doesNotMatch(done.stdout, /Opening it in your browser/);
  assert.match(done.stdout, /Signed in to .* as octocat/);
});

test("users create --password-stdin on a terminal asks twice and never echoes the password", { skip }, async () => {
  const p = startCliOnTerminal(["users", "create", "tess", "--password-stdin"], dbEnv());
  await p.waitForStdout(/Password: $/);
  p.child.stdin.write("typed-secret-1\r");
  await p.waitForStdout(/Repeat the password: $/);
  p.child.stdin.write("typed-secret-1\r");
  const done = await p.done;
  assert.equal(done.status, 0, done.stdout);
  assert.ok(!done.stdout.includes("typed-secret-1"), "not echoed");
  assert.equal((await users.signInWithPassword("tess", "typed-secret-1")).user.username, "tess");
});

test("users delete on a terminal asks for the username: a wrong answer deletes nothing, the right one deletes", { skip }, async () => {
  await users.create({ username: "uma" });
  const wrong = startCliOnTerminal(["users", "delete", "uma"], dbEnv());
  await wrong.waitForStdout(/Type the username to confirm: /);
  wrong.child.stdin.write("yes\r");
  const refused = await wrong.done;
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /gatehouse users delete: uma was not deleted/);
  assert.equal((await users.getByUsername("uma")).username, "uma");

  const right = startCliOnTerminal(["users", "delete", "uma"], dbEnv());
  await right.waitForStdout(/Type the username to confirm: /);
  right.child.stdin.write("uma\r");
  const deleted = await right.done;
  assert.equal(deleted.status, 0, deleted.stdout);
  await assert.rejects(users.getByUsername("uma"), (err: unknown) => err instanceof UsersError && err.code === "not_found");
});

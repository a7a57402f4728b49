/**
 * `gatehouse login | whoami | logout` as child processes against the users service on a real
 * server (port 0) with the GitHub emulator as GitHub (device interval 1 s to keep it quick). A
 * generic OpenID Connect provider is configured too: the device login stays GitHub's.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import type { Gatehouse } from "../../src/index.js";
import { saveCredentials } from "../../src/cli/credentials.js";
import { cliEnv, runCli, startCli } from "./run-cli.js";
import { startServiceStack } from "./service-stack.js";
import type { ServiceStack } from "./service-stack.js";
import { startOidcIssuer } from "../support/oidc-issuer.js";
import type { OidcIssuer } from "../support/oidc-issuer.js";

let stack: ServiceStack;
let gh: GitHubEmulatorHandle;
let gatehouse: Gatehouse;
let url: string;
let logs: string[];
let issuer: OidcIssuer;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
  dirs.push(dir);
  return dir;
}

before(async () => {
  stack = await startServiceStack(async ({ url: service }) => {
    issuer = await startOidcIssuer({ clients: [{ clientId: "gatehouse", clientSecret: "corp-secret-0123456789abcdef", redirectUris: [`${service}/auth/corp/callback`] }], accounts: [] });
    return { providers: [{ kind: "oidc", name: "corp", displayName: "Corp ID", issuer: issuer.url, clientId: "gatehouse", clientSecret: "corp-secret-0123456789abcdef", scopes: ["openid"], signup: undefined }] };
  });
  ({ gh, gatehouse, url, logs } = stack);
});

after(async () => {
  await stack.close();
  await issuer.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CODE = /one-time code: ([A-Z0-9]{4}-[A-Z0-9]{4})\nThen open (\S+) and enter it\./;

function credentialsFile(configHome: string): string {
  return join(configHome, "gatehouse", "credentials.json");
}

/** The URL of a port nothing listens on (a server that was just closed). */
async function deadServerUrl(): Promise<string> {
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
  const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
  await new Promise<void>((r) => dead.close(() => r()));
  return deadUrl;
}

/** A session token made without the CLI (password sign-in), for whoami/logout tests. */
async function passwordSession(username: string): Promise<string> {
  await gatehouse.users.create({ username, password: "long-enough-pass" });
  return (await gatehouse.users.signInWithPassword(username, "long-enough-pass")).token;
}

test("gatehouse login: the code is approved at GitHub, the session lands in a 0600 credentials file, whoami shows the user, logout revokes it", async () => {
  const home = tempDir();
  const env = cliEnv({ XDG_CONFIG_HOME: home });
  assert.deepEqual(gatehouse.users.providers.map((p) => p.name), ["corp"], "a generic provider is configured");
  const login = startCli(["login", "--server", url], env);
  const [, code, verificationUrl] = await login.waitForStdout(CODE);
  assert.equal(verificationUrl, `${gh.url}/login/device`);
  gh.approveDevice(code ?? "", "octocat");
  const done = await login.done;
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stdout, new RegExp(`Signed in to ${url} as octocat \\(GitHub @octocat\\)`));
  assert.deepEqual(issuer.requests, [], "the configured OIDC provider plays no part in the device login");
  assert.ok(!done.stdout.includes("\r"), "no spinner frames when stdout is not a terminal");

  const file = credentialsFile(home);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, "gatehouse")).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(join(home, "gatehouse")), ["credentials.json"], "no temp or lock file left behind");
  const stored = JSON.parse(readFileSync(file, "utf8")) as { servers: Record<string, { server: string; token: string; user: { username: string; github: string } }> };
  const entry = stored.servers[url];
  assert.equal(entry?.server, url);
  assert.equal(entry?.user.username, "octocat");
  const token = entry?.token ?? "";
  assert.ok(token.length >= 40);
  assert.ok(!done.stdout.includes(token) && !done.stderr.includes(token), "the token is never printed");
  assert.ok(!logs.some((line) => line.includes(token)), "nor logged by the server");

  const me = await runCli(["whoami", "--server", url], env);
  assert.equal(me.status, 0, me.stderr);
  assert.match(me.stdout, /username: octocat/);
  assert.match(me.stdout, /role: +(user|admin)/);
  assert.match(me.stdout, /github: +octocat/);
  assert.ok(!me.stdout.includes(token));

  const out = await runCli(["logout"], cliEnv({ XDG_CONFIG_HOME: home, GATEHOUSE_SERVER: `${url}/` }));
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /Signed out of/);
  assert.equal(out.stderr, "", "the server was reached: no warning");
  assert.equal(existsSync(file), false, "the only entry is gone, so is the file");
  assert.equal((await fetch(`${url}/api/users/me`, { headers: { authorization: `Bearer ${token}` } })).status, 401, "revoked server-side");

  const after = await runCli(["whoami", "--server", url], env);
  assert.equal(after.status, 1);
  assert.match(after.stderr, /^gatehouse whoami: not signed in to .*gatehouse login/);
  assert.equal(after.stderr.trim().split("\n").length, 1, "one line");
});

test("GitHub failing (502) while polling does not end the sign-in: the CLI retries and completes", async () => {
  const home = tempDir();
  const login = startCli(["login", "--server", url], cliEnv({ XDG_CONFIG_HOME: home }));
  const [, code] = await login.waitForStdout(CODE);
  gh.injectFault("POST /login/oauth/access_token", { status: 502, times: 2 });
  await login.waitForStdout(/retrying/);
  gh.approveDevice(code ?? "", "monalisa");
  const done = await login.done;
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stdout, /Signed in to .* as monalisa/);
});

test("signing in again replaces the stored session and revokes the old one on the server", async () => {
  const home = tempDir();
  const old = await passwordSession("frank");
  await saveCredentials({ server: url, token: old, user: { username: "frank", role: "user", github: null }, savedAt: new Date().toISOString() }, credentialsFile(home));
  const login = startCli(["login", "--server", url, "--no-browser"], cliEnv({ XDG_CONFIG_HOME: home }));
  const [, code] = await login.waitForStdout(CODE);
  gh.approveDevice(code ?? "", "hubot");
  const done = await login.done;
  assert.equal(done.status, 0, done.stderr);
  const stored = JSON.parse(readFileSync(credentialsFile(home), "utf8")) as { servers: Record<string, { token: string; user: { username: string } }> };
  assert.equal(stored.servers[url]?.user.username, "hubot");
  assert.notEqual(stored.servers[url]?.token, old);
  assert.equal((await fetch(`${url}/api/users/me`, { headers: { authorization: `Bearer ${old}` } })).status, 401);
});

test("login cancelled at GitHub (access_denied) exits 1 with the server's sentence and stores nothing", async () => {
  const home = tempDir();
  const login = startCli(["login", "--server", url], cliEnv({ XDG_CONFIG_HOME: home }));
  const [, code] = await login.waitForStdout(CODE);
  gh.denyDevice(code ?? "");
  const done = await login.done;
  assert.equal(done.status, 1);
  assert.match(done.stderr, /^gatehouse login: the sign-in was cancelled on GitHub\n$/);
  assert.equal(existsSync(credentialsFile(home)), false);
});

test("Ctrl-C while waiting for approval exits 130 without a stack trace and stores nothing", async () => {
  const home = tempDir();
  const login = startCli(["login", "--server", url], cliEnv({ XDG_CONFIG_HOME: home }));
  await login.waitForStdout(/Waiting for you to approve/);
  login.child.kill("SIGINT");
  const done = await login.done;
  assert.equal(done.status, 130);
  assert.equal(done.stderr, "gatehouse login: cancelled\n");
  assert.equal(existsSync(credentialsFile(home)), false);
});

test("whoami reports a session revoked server-side (user disabled by an admin) in one line, exit 1", async () => {
  const home = tempDir();
  const token = await passwordSession("dora");
  await saveCredentials({ server: url, token, user: { username: "dora", role: "user", github: null }, savedAt: new Date().toISOString() }, credentialsFile(home));
  const env = cliEnv({ XDG_CONFIG_HOME: home });
  const ok = await runCli(["whoami", "--server", url, "--json"], env);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { user: { username: string; github: null } }).user.username, "dora");

  await gatehouse.users.update("dora", { disabled: true });
  const ended = await runCli(["whoami", "--server", url], env);
  assert.equal(ended.status, 1);
  assert.equal(ended.stderr, `gatehouse whoami: the session on ${url} has ended (signed out, revoked or expired); run 'gatehouse login --server ${url}' again\n`);
});

test("logout with the server down still forgets the session here, says so, and keeps other servers' sessions", async () => {
  const home = tempDir();
  const file = credentialsFile(home);
  const deadUrl = await deadServerUrl();
  const token = await passwordSession("erin");
  await saveCredentials({ server: deadUrl, token: "t".repeat(43), user: { username: "erin", role: "user", github: null }, savedAt: new Date().toISOString() }, file);
  await saveCredentials({ server: url, token, user: { username: "erin", role: "user", github: null }, savedAt: new Date().toISOString() }, file);

  const out = await runCli(["logout", "--server", deadUrl], cliEnv({ XDG_CONFIG_HOME: home }));
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stderr, /^warning: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); it stays valid there/);
  assert.ok(!out.stderr.includes("t".repeat(43)));
  const servers = Object.keys((JSON.parse(readFileSync(file, "utf8")) as { servers: object }).servers);
  assert.deepEqual(servers, [url], "the other server's session is kept");

  const me = await runCli(["whoami", "--server", url], cliEnv({ XDG_CONFIG_HOME: home }));
  assert.equal(me.status, 0, me.stderr);
});

test("a credentials file that is not ours fails login before a code is shown: nothing to approve at GitHub for nothing", { timeout: 20_000 }, async () => {
  const home = tempDir();
  const file = credentialsFile(home);
  mkdirSync(join(home, "gatehouse"), { recursive: true });
  writeFileSync(file, "my notes, not JSON\n");
  gh.clearRequests();
  const r = await runCli(["login", "--server", url, "--no-browser"], cliEnv({ XDG_CONFIG_HOME: home }));
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `gatehouse login: ${file} is not a Gatehouse credentials file; move it away and sign in again\n`);
  assert.doesNotMatch(r.stdout, /one-time code/);
  assert.equal(gh.requests().filter((q) => q.path === "/login/device/code").length, 0, "no device login was started at GitHub");
  assert.equal(readFileSync(file, "utf8"), "my notes, not JSON\n", "the file is left as it was");
});

test("a session the terminal cannot store (credentials file locked by another process) is revoked on the server, not left valid", { timeout: 30_000 }, async () => {
  gh.addUser({ login: "lockie", id: 91001, emails: [{ email: "lockie@example.com", primary: true, verified: true, visibility: "public" }] });
  const home = tempDir();
  const login = startCli(["login", "--server", url, "--no-browser"], cliEnv({ XDG_CONFIG_HOME: home }));
  const [, code] = await login.waitForStdout(CODE);
  // Another gatehouse process holds the lock (fresh, so not taken over as stale) until after the 5 s wait.
  mkdirSync(join(home, "gatehouse"), { recursive: true });
  writeFileSync(`${credentialsFile(home)}.lock`, "");
  gh.approveDevice(code ?? "", "lockie");
  const done = await login.done;
  assert.equal(done.status, 1);
  assert.match(done.stderr, /credentials\.json\.lock is held by another gatehouse process/);
  const lockie = await gatehouse.users.getByUsername("lockie");
  assert.deepEqual(await gatehouse.users.listSessions(lockie.id), [], "the new session was revoked");
});

test("login against a server that is not running fails in one line", async () => {
  const deadUrl = await deadServerUrl();
  const r = await runCli(["login", "--server", deadUrl], cliEnv({ XDG_CONFIG_HOME: tempDir() }));
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `gatehouse login: cannot reach ${deadUrl} (ECONNREFUSED)\n`);
});

test("login --server pointing at something that is not Gatehouse (here GitHub itself) says so, not just 'HTTP 404'", async () => {
  const r = await runCli(["login", "--server", gh.url, "--no-browser"], cliEnv({ XDG_CONFIG_HOME: tempDir() }));
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `gatehouse login: ${gh.url} has no Gatehouse device login (HTTP 404); is --server a Gatehouse server?\n`);
});

test("usage errors exit 2 and --help exits 0 for login, whoami and logout", async () => {
  const env = cliEnv({ XDG_CONFIG_HOME: tempDir() });
  const [badUrl, extra, unknown, loginHelp, whoamiHelp, logoutHelp] = await Promise.all([
    runCli(["login", "--server", "ftp://example.com"], env),
    runCli(["whoami", "alice"], env),
    runCli(["logout", "--force"], env),
    runCli(["login", "--help"], env),
    runCli(["whoami", "-h"], env),
    runCli(["logout", "--help"], env),
  ]);
  assert.equal(badUrl.status, 2);
  assert.match(badUrl.stderr, /--server must be an http:\/\/ or https:\/\/ URL/);
  assert.equal(extra.status, 2);
  assert.match(extra.stderr, /unexpected operand 'alice'/);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown option '--force'/);
  for (const [r, name] of [[loginHelp, "login"], [whoamiHelp, "whoami"], [logoutHelp, "logout"]] as const) {
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Usage: gatehouse ${name} \\[--server URL\\]`));
  }
});

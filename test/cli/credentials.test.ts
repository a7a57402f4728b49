/** The credentials file: where it lives, its modes, one entry per server, no lost or torn writes. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { CliError } from "../../src/cli/cli-error.js";
import { credentialsPath, readCredentials, removeCredentials, saveCredentials } from "../../src/cli/credentials.js";
import type { StoredCredentials } from "../../src/cli/credentials.js";

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-creds-"));
  dirs.push(dir);
  return join(dir, "gatehouse", "credentials.json");
}

function entry(server: string, token = `tok-${server.length}-${Math.random()}`): StoredCredentials {
  return { server, token, user: { username: "alice", role: "user", github: "alice" }, savedAt: "2026-01-01T00:00:00.000Z" };
}

test("credentialsPath follows XDG_CONFIG_HOME when absolute, else ~/.config (the XDG spec ignores relative values)", () => {
  assert.equal(credentialsPath({ XDG_CONFIG_HOME: "/srv/conf" }), "/srv/conf/gatehouse/credentials.json");
  assert.equal(credentialsPath({ XDG_CONFIG_HOME: "conf" }), join(homedir(), ".config", "gatehouse", "credentials.json"));
  assert.equal(credentialsPath({}), join(homedir(), ".config", "gatehouse", "credentials.json"));
});

test("several servers are remembered; removing one keeps the others; the last removal deletes the file", async () => {
  const file = tempFile();
  const a = entry("http://127.0.0.1:3000");
  const b = entry("https://auth.example.com");
  await saveCredentials(a, file);
  await saveCredentials(b, file);
  assert.deepEqual(await readCredentials(a.server, file), a);
  assert.deepEqual(await readCredentials(b.server, file), b);
  const a2 = entry(a.server, "newer-token");
  await saveCredentials(a2, file);
  assert.equal((await readCredentials(a.server, file))?.token, "newer-token", "a new sign-in replaces the old one");

  assert.equal(await removeCredentials(a.server, file), true);
  assert.equal(await readCredentials(a.server, file), undefined);
  assert.deepEqual(await readCredentials(b.server, file), b);
  assert.equal(await removeCredentials(a.server, file), false, "already gone");
  assert.equal(await removeCredentials(b.server, file), true);
  assert.deepEqual(readdirSync(join(file, "..")), []);
});

test("the file is 0600 and its folder 0700, even when the folder existed wider", async () => {
  const file = tempFile();
  mkdirSync(join(file, ".."), { recursive: true, mode: 0o755 });
  chmodSync(join(file, ".."), 0o755);
  await saveCredentials(entry("http://127.0.0.1:3000"), file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(file, "..")).mode & 0o777, 0o700);
});

test("concurrent sign-ins to different servers lose no entry and leave no temp or lock file", async () => {
  const file = tempFile();
  const servers = Array.from({ length: 20 }, (_, i) => `http://127.0.0.1:${4000 + i}`);
  await Promise.all(servers.map((s) => saveCredentials(entry(s), file)));
  const stored = JSON.parse(readFileSync(file, "utf8")) as { version: number; servers: Record<string, unknown> };
  assert.equal(stored.version, 1);
  assert.deepEqual(Object.keys(stored.servers).sort(), [...servers].sort());
  assert.deepEqual(readdirSync(join(file, "..")), ["credentials.json"]);
});

test("a crashed writer's stale lock is taken over by one writer at a time: concurrent writers lose no entry over 12 rounds", async () => {
  const file = tempFile();
  mkdirSync(join(file, ".."), { recursive: true });
  // The id of a process that has ended: its lock is a crashed writer's.
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  const expected: string[] = [];
  for (let round = 0; round < 12; round++) {
    const lock = `${file}.lock`;
    if (round % 2 === 0) {
      writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), token: `crashed-${round}` }));
    } else {
      // An older lock without an owner (another version, or a crash before it was written): by age.
      writeFileSync(lock, "");
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
    }
    const servers = Array.from({ length: 20 }, (_, i) => `http://127.0.0.1:${5000 + round * 100 + i}`);
    expected.push(...servers);
    await Promise.all(servers.map((s) => saveCredentials(entry(s), file)));
    const stored = JSON.parse(readFileSync(file, "utf8")) as { servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(stored.servers).sort(), [...expected].sort(), `round ${round}`);
    assert.deepEqual(readdirSync(join(file, "..")), ["credentials.json"], "no lock or takeover file left");
  }
});

test("a file that is not ours is reported, never overwritten", async () => {
  const file = tempFile();
  mkdirSync(join(file, ".."), { recursive: true });
  for (const content of ["not json", '{"version":2,"servers":{}}', '{"version":1,"servers":{"http://x":{"server":"http://y","token":"t","user":{"username":"a","role":"user","github":null},"saved_at":"x"}}}']) {
    writeFileSync(file, content);
    const isUnreadable = (err: unknown) => err instanceof CliError && err.code === "credentials_unreadable" && err.message.includes(file);
    await assert.rejects(readCredentials("http://x", file), isUnreadable);
    await assert.rejects(saveCredentials(entry("http://x"), file), isUnreadable);
    assert.equal(readFileSync(file, "utf8"), content);
  }
});

test("a __proto__ key in the file is an ordinary entry, not a prototype", async () => {
  const file = tempFile();
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, '{"version":1,"servers":{"__proto__":{"server":"__proto__","token":"t","user":{"username":"a","role":"user","github":null},"saved_at":"x"}}}');
  assert.equal(await readCredentials("toString", file), undefined);
  assert.equal((await readCredentials("__proto__", file))?.token, "t");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

function gatehouse(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8" });
}

test("gatehouse --help lists the commands and exits 0", () => {
  const r = gatehouse("--help");
  assert.equal(r.status, 0);
  for (const name of ["serve", "emulator", "login", "users", "migrate"]) assert.match(r.stdout, new RegExp(`\\b${name}\\b`));
});

test("gatehouse without a command is a usage error: the usage on stderr, exit 2", () => {
  const r = gatehouse();
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Usage: gatehouse <command>/);
});

test("an unknown command exits non-zero with a one-line reason", () => {
  const r = gatehouse("frobnicate");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

/** The README's emulator example runs as written (with the package import pointed at src/). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("the README's 'Use it in a test' example passes", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("<!-- section:emulator -->"), readme.indexOf("<!-- /section:emulator -->"));
  const example = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "").find((code) => code.includes("startGitHubEmulator"));
  assert.ok(example, "the section has a ts example using startGitHubEmulator");
  const source = example.replace('"gatehouse/emulator"', JSON.stringify(pathToFileURL(join(root, "src/emulator/index.ts")).href));
  const file = join(mkdtempSync(join(tmpdir(), "gatehouse-readme-")), "example.test.ts");
  writeFileSync(file, source);
  // A fresh test runner in the child, not a sub-runner reporting to ours.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_TEST_CONTEXT"));
  const run = spawnSync(process.execPath, ["--import", "tsx", "--test", file], { encoding: "utf8", cwd: root, env });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# pass 1/);
});

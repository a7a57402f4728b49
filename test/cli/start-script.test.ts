/** `npm start` compiles only when the sources changed since the last build (scripts/build.mjs). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("a build is stale when dist/ was never built, when a source, a tsconfig or package.json is newer, and when a source is deleted", async () => {
  // A copy of the script in a small tree of its own: it judges the tree it sits in.
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-stale-"));
  try {
    mkdirSync(join(dir, "scripts"));
    mkdirSync(join(dir, "src", "cli"), { recursive: true });
    mkdirSync(join(dir, "dist"));
    copyFileSync(join(root, "scripts/build.mjs"), join(dir, "scripts/build.mjs"));
    for (const f of ["package.json", "tsconfig.json", "src/cli.ts", "src/cli/serve.ts"]) writeFileSync(join(dir, f), "{}");
    const { isStale } = (await import(pathToFileURL(join(dir, "scripts/build.mjs")).href)) as typeof import("../../scripts/build.mjs");
    const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
    const everything = (seconds: number) => { for (const p of ["package.json", "tsconfig.json", "src/cli.ts", "src/cli/serve.ts", "src/cli", "src"]) at(p, seconds); };

    assert.equal(isStale(), true, "never built");
    everything(1_000);
    writeFileSync(join(dir, "dist/.build-stamp"), "");
    at("dist/.build-stamp", 2_000);
    assert.equal(isStale(), false, "nothing changed since the build");
    at("src/cli/serve.ts", 3_000);
    assert.equal(isStale(), true, "a source was edited");
    everything(1_000);
    at("tsconfig.json", 3_000);
    assert.equal(isStale(), true, "a tsconfig was edited");
    everything(1_000);
    at("package.json", 3_000);
    assert.equal(isStale(), true, "package.json was edited");
    everything(1_000);
    unlinkSync(join(dir, "src/cli/serve.ts")); // the folder's mtime is now
    assert.equal(isStale(), true, "a source was deleted");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

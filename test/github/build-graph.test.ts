/**
 * `gatehouse/github` must pull in no dependency and no Node built-in: compile src/github as the
 * build does and walk the emitted import graph from index.js.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every module reachable from `entry`; fails on any import that leaves `dir` or is not relative. */
function walk(entry: string, dir: string): { files: string[]; external: string[] } {
  const seen = new Set<string>();
  const external: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    // TypeScript's own scanner: static imports, re-exports, import() and require(); comments ignored.
    const specifiers = ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
    for (const spec of specifiers) {
      if (!spec.startsWith("./") && !spec.startsWith("../")) {
        external.push(`${relative(dir, file)} -> ${spec}`);
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (relative(dir, target).startsWith("..")) external.push(`${relative(dir, file)} -> ${spec} (outside)`);
      else queue.push(target);
    }
  }
  return { files: [...seen], external };
}

test("the built gatehouse/github imports nothing outside dist/github and no node: module; .d.ts emitted", () => {
  const out = mkdtempSync(join(tmpdir(), "gatehouse-github-build-"));
  try {
    // Same sources and options as the build, without Node's types (tsconfig.github.json).
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.github.json"), "--noEmit", "false", "--declaration", "--rootDir", join(root, "src/github"), "--outDir", out], { encoding: "utf8", cwd: root });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    const { files, external } = walk(join(out, "index.js"), out);
    assert.deepEqual(external, []);
    assert.ok(files.length > 10, `walked ${files.length} modules`);
    assert.ok(files.some((f) => f.endsWith("client.js")));
    const dts = readFileSync(join(out, "index.d.ts"), "utf8");
    assert.match(dts, /GitHubOAuth/);
    assert.match(dts, /createCodeChallenge/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("dist/github from `npm run build`, when present, has the same closed import graph", { skip: existsSync(join(root, "dist/github/client.js")) ? false : "dist/github not built (run `npm run build`)" }, () => {
  const dir = join(root, "dist/github");
  const { external } = walk(join(dir, "index.js"), dir);
  assert.deepEqual(external, []);
  assert.ok(existsSync(join(dir, "index.d.ts")));
});

test("the walker catches a bare or node: import (so the checks above can fail)", () => {
  const out = mkdtempSync(join(tmpdir(), "gatehouse-github-walk-"));
  try {
    const write = (name: string, code: string) => spawnSync(process.execPath, ["-e", `require("fs").writeFileSync(${JSON.stringify(join(out, name))}, ${JSON.stringify(code)})`]);
    write("index.js", 'export { a } from "./a.js";\nimport "node:crypto";\n');
    write("a.js", 'import x from "zod";\nexport const a = await import("../elsewhere.js");\n');
    const { external } = walk(join(out, "index.js"), out);
    assert.deepEqual(external.sort(), ["a.js -> ../elsewhere.js (outside)", "a.js -> zod", "index.js -> node:crypto"]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/**
 * docs/service-internals.md stays true: its ```ts samples type-check against the code (each
 * compiled as the file its first-line comment names, so its relative imports resolve), and the
 * files it names exist, and its layout table names every file of src/cli.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));
const doc = readFileSync(join(root, "docs/service-internals.md"), "utf8");

test("docs/service-internals.md: every ts sample type-checks as the file it says it is", () => {
  const samples = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  assert.ok(samples.length >= 2, "the doc has its samples");
  const files = new Map<string, string>();
  for (const code of samples) {
    const path = /^\/\/ (src\/\S+\.ts)\n/.exec(code)?.[1];
    assert.ok(path, `a sample starts with a comment naming its file:\n${code.slice(0, 200)}`);
    assert.ok(!existsSync(join(root, path)), `${path} is a new file, not a copy of an existing one`);
    files.set(join(root, path), code);
  }
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) });
  assert.ok(config);
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? ts.sys.readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: config.options, host });
  const problems = [...files.keys()].flatMap((name) => ts.getPreEmitDiagnostics(program, program.getSourceFile(name)))
    .map((d) => `${d.file?.fileName.slice(root.length) ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  assert.deepEqual(problems, []);
});

test("docs/service-internals.md: the src/ paths it names exist, and its layout lists every file of src/cli", () => {
  const missing = [...doc.matchAll(/`(src\/[\w./-]*\w)`/g)].map((m) => m[1] ?? "").filter((p) => !p.startsWith("src/cli/example") && !p.includes("notes-routes") && !existsSync(join(root, p)));
  assert.deepEqual(missing, []);
  for (const folder of ["src/cli", "src/users", "src/store", "src/server"]) {
    const row = doc.split("\n").find((l) => l.startsWith(`| \`${folder}/\``));
    assert.ok(row, `a layout row for ${folder}`);
    const named = [...row.matchAll(/`([\w-]+\.ts|[\w-]+\/)`/g)].map((m) => m[1] ?? "");
    const absent = named.filter((n) => !existsSync(join(root, folder, n)));
    assert.deepEqual(absent, [], `${folder}: named in the doc but not there`);
    if (folder === "src/cli") {
      const unnamed = readdirSync(join(root, folder)).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !named.includes(f));
      assert.deepEqual(unnamed, [], `${folder}: files the doc's layout does not name`);
    }
  }
});

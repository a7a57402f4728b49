/**
 * The intended direction of imports between the parts of src/, held for every file:
 * server → users → (github, store); store and github import no other part; the emulator and the
 * client share nothing; nothing imports the CLI but its entry point; server/routes and server/pages
 * do not import each other; config imports nothing from server. A new edge must be added to
 * `ALLOWED` on purpose, where a reviewer sees it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

type Part =
  | "index" | "adapters" | "cli" | "config" | "server" | "server/routes" | "server/pages" | "wire" | "users" | "store" | "github" | "emulator" | "providers";

/** How one part may import another. Without `from`/`values`/`into`, any file may import any file. */
interface Allowance {
  /** Only these files (relative to src/) may import the target at all, types included. */
  from?: string[];
  /** Only these files (relative to src/) may import values; others only types. */
  values?: string[];
  /** Only these files of the target (relative to src/) may be imported. */
  into?: string[];
}

/** Every allowed edge between parts; an edge not listed here is a violation. */
const ALLOWED: Record<Part, Partial<Record<Part, Allowance>>> = {
  // The package's entry: re-exports the library's public pieces.
  index: { server: {}, config: {}, users: {}, store: {}, providers: {} },
  // src/adapters/: the host-app entry points (gatehouse/node, /express, /hono, /fastify); thin
  // translations of the server's guard and handler, with no logic of their own.
  adapters: { server: { into: ["server/gatehouse.ts", "server/node.ts", "server/guard.ts"] }, users: { values: [] } },
  // src/cli.ts and src/cli/: the top; composes everything, imported by nothing but src/cli.ts.
  cli: {
    config: {}, store: {}, users: {}, wire: {}, emulator: {},
    // The library's public entry points only, not its internals.
    server: { into: ["server/gatehouse.ts", "server/node.ts", "server/logger.ts", "server/graceful-close.ts"] },
  },
  config: { store: {}, users: {}, providers: {} },
  server: {
    "server/routes": {}, "server/pages": {}, wire: {}, users: {}, store: {}, github: { values: ["server/gatehouse.ts"] },
    providers: { values: ["server/gatehouse.ts"] },
  },
  "server/routes": { server: {}, wire: {}, users: {} },
  "server/pages": { server: {}, wire: {}, users: {} },
  // The API's JSON shapes, shared by the server and the CLI.
  wire: { users: {} },
  // The domain sees GitHub only through its port (its own error type; the client's types re-exported).
  users: { store: {}, github: { from: ["users/github-port.ts"] }, providers: { from: ["users/provider-port.ts"] } },
  store: {},
  github: {},
  // Generic OpenID Connect / OAuth 2 providers, on oauth4webapi; like github, imports no other part.
  providers: {},
  emulator: {},
};

function partOf(file: string): Part | undefined {
  const [top, sub] = file.split("/");
  if (file === "index.ts") return "index";
  if (top === "adapters") return "adapters";
  if (file === "cli.ts" || top === "cli") return "cli";
  if (file === "config.ts") return "config";
  if (top === "server") return sub === "routes" || sub === "pages" ? `server/${sub}` : "server";
  if (top === "wire" || top === "users" || top === "store" || top === "github" || top === "emulator" || top === "providers") return top;
  return undefined;
}

/** Relative specifiers of a file, each marked type-only when every import of it is `import type`/`export type`. */
function importsOf(code: string): { spec: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const types = new Set<string>();
  const values = new Set<string>();
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      (typeOnly ? types : values).add(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      (node.isTypeOnly ? types : values).add(node.moduleSpecifier.text);
    }
  }
  // TypeScript's own scanner finds every import, dynamic ones too; what the walk above did not
  // see as type-only counts as a value import.
  return ts.preProcessFile(code, true, true).importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith("./") || spec.startsWith("../"))
    .map((spec) => ({ spec, typeOnly: types.has(spec) && !values.has(spec) }));
}

/** The violations of one file (path relative to src/, with `/`). */
function violations(file: string, code: string): string[] {
  const from = partOf(file);
  if (from === undefined) return [`src/${file}: not in any part; add its folder to partOf and ALLOWED`];
  const found: string[] = [];
  for (const { spec, typeOnly } of importsOf(code)) {
    const target = posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, ".ts");
    const to = partOf(target);
    if (to === from) continue;
    const allowance = to === undefined ? undefined : ALLOWED[from][to];
    const why = allowance === undefined
      ? `${from} may not import ${to ?? target} (allowed: ${Object.keys(ALLOWED[from]).join(", ") || "nothing"})`
      : allowance.from !== undefined && !allowance.from.includes(file)
        ? `${from} may import ${to} only in ${allowance.from.join(", ")}`
      : allowance.into !== undefined && !allowance.into.includes(target)
        ? `${from} may import only ${allowance.into.join(", ")} of ${to}`
        : allowance.values !== undefined && !typeOnly && !allowance.values.includes(file)
          ? `${from} may import values of ${to} only in ${allowance.values.join(", ")} (elsewhere: import type)`
          : undefined;
    if (why !== undefined) found.push(`src/${file} imports "${spec}": ${why}`);
  }
  return found;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith(".ts")) out.push(relative(src, path).split(sep).join("/"));
  }
  return out;
}

test("every import under src/ follows the allowed directions between parts", () => {
  const files = sources(src);
  assert.ok(files.length > 100, `scanned ${files.length} files`);
  const found = files.flatMap((file) => violations(file, readFileSync(join(src, file), "utf8")));
  assert.deepEqual(found, []);
});

test("the check names the file and the import for each kind of violation, and lets allowed ones pass", () => {
  assert.deepEqual(violations("store/x.ts", 'import { Users } from "../users/index.js";'), [
    'src/store/x.ts imports "../users/index.js": store may not import users (allowed: nothing)',
  ]);
  assert.deepEqual(violations("users/sessions.ts", 'import { GitHubOAuth } from "../github/index.js";'), [
    'src/users/sessions.ts imports "../github/index.js": users may import github only in users/github-port.ts',
  ]);
  assert.equal(violations("users/sessions.ts", 'import type { TokenSet } from "../github/index.js";').length, 1, "types too come through the port");
  assert.deepEqual(violations("users/github-port.ts", 'import { GitHubOAuth } from "../github/index.js";'), []);
  assert.deepEqual(violations("server/gatehouse.ts", 'import { GitHubOAuth } from "../github/index.js";'), []);
  assert.equal(violations("server/app.ts", 'import { GitHubOAuth } from "../github/index.js";').length, 1, "values of github only in gatehouse.ts");
  assert.deepEqual(violations("cli/x.ts", 'import { problem } from "../server/problem.js";'), [
    'src/cli/x.ts imports "../server/problem.js": cli may import only server/gatehouse.ts, server/node.ts, server/logger.ts, server/graceful-close.ts of server',
  ]);
  assert.deepEqual(violations("server/pages/x.ts", 'export { a } from "../routes/a.js";'), [
    'src/server/pages/x.ts imports "../routes/a.js": server/pages may not import server/routes (allowed: server, wire, users)',
  ]);
  assert.equal(violations("emulator/x.ts", 'const g = await import("../github/index.js");').length, 1, "dynamic import");
  assert.equal(violations("config.ts", 'import { x } from "./server/x.js";').length, 1);
  assert.equal(violations("users/x.ts", 'import { main } from "../cli/users.js";').length, 1);
  assert.deepEqual(violations("cli.ts", 'import { main } from "./cli/users.js";'), []);
});

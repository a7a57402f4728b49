#!/usr/bin/env node
// Compiles src/ to dist/: `npm run build`, and `prepare` at `npm install` / `npm ci`.
// `npm start` (scripts/start.mjs) compiles only when something under src/, a tsconfig or
// package.json changed since the last successful build, so an unchanged checkout starts at once
// and an edited one never runs stale code. Deleting or renaming a file changes its folder's mtime,
// which counts as a change too.
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, realpathSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
// Written after a successful compile only: a failed build leaves the previous stamp, so the next
// start tries again instead of running half-built output.
const stamp = join(root, "dist", ".build-stamp");

/** The newest mtime (ms) of a file or folder, looking inside folders. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  let max = st.mtimeMs;
  if (st.isDirectory()) for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Whether dist/ is missing or older than its sources. */
export function isStale() {
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return true;
  const inputs = ["src", "package.json", ...readdirSync(root).filter((n) => /^tsconfig.*\.json$/.test(n))];
  return inputs.some((p) => newest(join(root, p)) > built);
}

/** Compiles with tsconfig.build.json; returns tsc's exit status. */
export function build() {
  // Stamped with the time the compile started: a file saved during the compile is newer, so rebuilt.
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
  if (run.status !== 0) return run.status ?? 1;
  // tsc writes files 0644; the package's bin must be executable for `npx gatehouse` in a clone
  // (npm makes installed packages' bins executable, never the project's own).
  chmodSync(join(root, "dist", "cli.js"), 0o755);
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) process.exitCode = build();

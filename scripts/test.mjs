#!/usr/bin/env node
// Runs the whole suite: type checks, then node's test runner over every test file,
// with a throwaway PostgreSQL cluster on 127.0.0.1 for the tests that need one.
// Usage: npm test [-- path-or-folder ...]
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { startPostgres } from "./postgres.mjs";

const root = resolve(import.meta.dirname, "..");
const ci = process.env.CI === "true" || process.env.CI === "1";
const args = process.argv.slice(2);

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit", cwd: root, ...opts });
  return r.status ?? 1;
}

function findTests(path, out = []) {
  const st = statSync(path);
  if (st.isFile()) {
    if (/\.test\.ts$/.test(path)) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    findTests(join(path, name), out);
  }
  return out;
}

async function main() {
  console.log("# type check");
  if (run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]) !== 0) return 1;
  // The client must run in any runtime with fetch and Web Crypto: check it without Node's types.
  if (run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.github.json"]) !== 0) return 1;

  const files = (args.length ? args : ["test"]).flatMap((p) => findTests(resolve(root, p)));
  if (files.length === 0) {
    console.error("no test files found");
    return 1;
  }

  const env = { ...process.env };
  let stopPg = () => {};
  if (!env.GATEHOUSE_TEST_POSTGRES_URL) {
    const pg = await startPostgres();
    if (pg.url) {
      env.GATEHOUSE_TEST_POSTGRES_URL = pg.url;
      stopPg = pg.stop;
      console.log(`# PostgreSQL for tests at ${pg.url}`);
    } else if (ci) {
      console.error(`# CI: PostgreSQL is required and could not be started: ${pg.reason}`);
      return 1;
    } else {
      console.log(`# PostgreSQL tests will be skipped: ${pg.reason}`);
    }
  }
  const onSignal = () => { stopPg(); process.exit(130); };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const concurrency = Math.max(2, availableParallelism());
  try {
    const child = spawn(
      process.execPath,
      // The spec reporter ends with every failing test again, so the tail of a CI log names them.
      ["--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...files],
      { stdio: "inherit", cwd: root, env },
    );
    return await new Promise((res) => child.on("exit", (code, sig) => res(code ?? (sig ? 1 : 0))));
  } finally {
    stopPg();
  }
}

process.exitCode = await main();

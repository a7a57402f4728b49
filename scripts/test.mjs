#!/usr/bin/env node
// Runs the whole suite: type checks, then node's test runner over every test file,
// with a throwaway PostgreSQL cluster on 127.0.0.1 for the tests that need one.
// Usage: npm test [-- path-or-folder ...]
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, chownSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, availableParallelism } from "node:os";
import { join, resolve } from "node:path";

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

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function findPgBin(name) {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = join(base, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/** Starts a throwaway PostgreSQL cluster; returns { url, stop } or a reason it cannot. */
async function startPostgres() {
  const initdb = findPgBin("initdb");
  const pgCtl = findPgBin("pg_ctl");
  if (!initdb || !pgCtl) return { reason: "PostgreSQL is not installed (no initdb/pg_ctl found)" };
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  // initdb refuses to run as root: run the server as the 'postgres' system user then.
  let asUser = [];
  if (process.getuid?.() === 0) {
    let uid, gid;
    try {
      uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
      gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    } catch {
      return { reason: "running as root and there is no 'postgres' user to run PostgreSQL as" };
    }
    chownSync(dir, uid, gid);
    asUser = ["runuser", "-u", "postgres", "--"];
  }
  const exec = (cmd, cmdArgs) => {
    const full = [...asUser, cmd, ...cmdArgs];
    const r = spawnSync(full[0], full.slice(1), { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  try {
    exec(initdb, ["-D", data, "-U", "gatehouse", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    exec(pgCtl, [
      "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "start",
      "-o", `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    ]);
  } catch (err) {
    let log = "";
    try { log = readFileSync(join(dir, "server.log"), "utf8"); } catch {}
    rmSync(dir, { recursive: true, force: true });
    return { reason: `${err.message}\n${log}` };
  }
  const stop = () => {
    try { exec(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]); } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://gatehouse@127.0.0.1:${port}/postgres`, stop };
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
      ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files],
      { stdio: "inherit", cwd: root, env },
    );
    return await new Promise((res) => child.on("exit", (code, sig) => res(code ?? (sig ? 1 : 0))));
  } finally {
    stopPg();
  }
}

process.exitCode = await main();

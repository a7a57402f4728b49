// A throwaway PostgreSQL cluster on 127.0.0.1, for the tests and the benchmarks.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
export async function startPostgres() {
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


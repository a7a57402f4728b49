/**
 * `npm run bench -- --start`: how long `npm start` takes to listen on an unchanged checkout (dist/
 * up to date), and the RSS of the idle service after it; also `node scripts/start.mjs` alone, to
 * show what npm's own start-up adds. Each run starts in a fresh directory (a new SQLite file and
 * secret) with GATEHOUSE_PORT=0 and the demo emulator as GitHub.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The Node process's resident set size, from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The pid of the Node process running scripts/start.mjs under `pid` (npm's child or grandchild), or -1. */
function nodeChild(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  for (const c of children) {
    const [exe = "", ...args] = readFileSync(`/proc/${c}/cmdline`, "utf8").split("\0");
    // npm may start it through `sh -c`, whose command line names the script too.
    if (/node$/.test(exe) && args.some((a) => a.endsWith("scripts/start.mjs"))) return c;
    const deeper = nodeChild(c);
    if (deeper > 0) return deeper;
  }
  return -1;
}

async function once(command: string, args: string[]): Promise<{ readyMs: number; idleRssMb: number }> {
  const cwd = mkdtempSync(join(tmpdir(), "gatehouse-start-"));
  const started = performance.now();
  // npm runs the script in the package's folder: the database and data dir are pointed at `cwd`.
  const env = { ...process.env, GATEHOUSE_PORT: "0", GATEHOUSE_DATABASE_URL: `sqlite:${join(cwd, "gatehouse.db")}`, GATEHOUSE_DATA_DIR: join(cwd, ".gatehouse") };
  // Its own process group: npm starts the service as a child of its own, which a signal to npm
  // alone would leave running.
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Gatehouse listening on")) resolve(performance.now() - started);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    await new Promise((r) => setTimeout(r, 2000)); // idle
    const pid = command === "node" ? child.pid ?? -1 : nodeChild(child.pid ?? -1);
    return { readyMs, idleRssMb: rssMb(pid) };
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-(child.pid ?? 0), "SIGTERM");
    await exited;
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Median ready time and idle RSS over `runs` starts of each way. */
export async function benchStart(runs: number): Promise<string[]> {
  const lines = ["| command | ready (median) | idle RSS |", "|---|---|---|"];
  for (const [name, command, args] of [
    ["npm start", "npm", ["start", "--prefix", root, "--silent"]],
    ["node scripts/start.mjs", "node", [join(root, "scripts/start.mjs")]],
  ] as const) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(command, [...args]));
    results.sort((a, b) => a.readyMs - b.readyMs);
    const mid = results[Math.floor(results.length / 2)]!;
    lines.push(`| ${name} | ${mid.readyMs.toFixed(0)} ms | ${mid.idleRssMb.toFixed(0)} MB |`);
  }
  return lines;
}

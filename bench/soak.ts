/**
 * `npm run bench -- soak [--minutes N] [--concurrency C] [--database URL]`: mixed load against a
 * real `gatehouse serve` child process (its demo GitHub emulator in the same process, as `npm
 * start` runs it) for N minutes (default 10): GitHub sign-ins, session checks, wrong passwords and
 * admin lists. Reports the error rate (5xx and failed connections: never the client's fault),
 * p50/p99 per kind of request, and the service's RSS once a minute-fraction, so a leak shows as
 * a slope. Never part of `npm test`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { signInThroughDemo, startServe } from "../test/cli/serve-process.js";
import type { ServeProcess } from "../test/cli/serve-process.js";
import type { Browser } from "../test/server/harness.js";

type Kind = "github sign-in" | "session check" | "wrong password" | "admin list";
/** How often each kind is picked: mostly session checks, as in real traffic. */
const MIX: Array<[Kind, number]> = [["session check", 70], ["admin list", 15], ["wrong password", 10], ["github sign-in", 5]];

interface Tally {
  times: number[];
  statuses: Map<number, number>;
  errors: number;
  /** The first failure's message, to say what went wrong. */
  firstError?: string;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function pick(): Kind {
  let r = Math.random() * 100;
  for (const [kind, weight] of MIX) {
    if ((r -= weight) < 0) return kind;
  }
  return "session check";
}

/** Demo users the sign-ins rotate over, so that GitHub's per-user API limit is not what is measured. */
const SOAK_USERS = 40;
/** A sign-in GitHub refused with its rate limit: a correct answer, not a server error. */
const GITHUB_LIMITED = 1;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function once(kind: Kind, serve: ServeProcess, admin: Browser): Promise<number> {
  const origin = serve.loginUrl.origin;
  switch (kind) {
    case "session check":
      return (await admin.fetch("/api/users/me")).status;
    case "admin list":
      return (await admin.fetch("/api/users?limit=20")).status;
    case "wrong password": {
      const res = await fetch(`${origin}/api/users/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "soak-nobody", password: "wrong" }) });
      await res.arrayBuffer();
      return res.status;
    }
    case "github sign-in":
      try {
        await signInThroughDemo(serve, `soak-${Math.floor(Math.random() * SOAK_USERS)}`);
        return 302;
      } catch (err) {
        // GitHub's own per-user limit (5000 API calls an hour), passed on as the service should.
        if (/error=github_rate_limited/.test(String(err))) return GITHUB_LIMITED;
        throw err;
      }
  }
}

/** Runs the soak; resolves with the exit code (1 when any request failed by the server's fault). */
export async function main(args: string[]): Promise<number> {
  const minutes = Number(option(args, "--minutes", "10"));
  const concurrency = Number(option(args, "--concurrency", "8"));
  if (!(minutes > 0) || !(concurrency > 0)) {
    console.error("usage: npm run bench -- soak [--minutes N] [--concurrency C] [--database URL]");
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-soak-"));
  const database = option(args, "--database", `sqlite:${join(dir, "soak.db")}`);
  const serve = await startServe({ GATEHOUSE_PORT: "0", GATEHOUSE_DATABASE_URL: database, GATEHOUSE_DATA_DIR: join(dir, "data"), GATEHOUSE_LOG_LEVEL: "warn" });
  const pid = serve.proc.child.pid ?? 0;
  const tallies = new Map<Kind, Tally>(MIX.map(([k]) => [k, { times: [], statuses: new Map(), errors: 0 }]));
  const rss: Array<{ atS: number; mib: number }> = [];
  try {
    const admin = await signInThroughDemo(serve, "octocat");
    for (let i = 0; i < SOAK_USERS; i++) {
      const res = await fetch(`${serve.githubUrl}/_emulator/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: `soak-${i}`, id: 7_000_000 + i, name: `Soak ${i}`, emails: [{ email: `soak-${i}@example.com`, primary: true, verified: true, visibility: "public" }] }),
      });
      if (res.status !== 201) throw new Error(`adding soak-${i} to the emulator: ${res.status} ${await res.text()}`);
    }
    console.log(`# soak: ${minutes} min, ${concurrency} concurrent, ${database.startsWith("sqlite:") ? "SQLite" : "PostgreSQL"}, service pid ${pid}`);
    const start = performance.now();
    const end = start + minutes * 60_000;
    const sampleEvery = Math.min(60_000, (minutes * 60_000) / 10);
    rss.push({ atS: 0, mib: rssMiB(pid) });
    const sampler = setInterval(() => {
      const s = { atS: Math.round((performance.now() - start) / 1000), mib: rssMiB(pid) };
      rss.push(s);
      const done = [...tallies.values()].reduce((n, t) => n + t.times.length, 0);
      console.log(`  t=${s.atS}s rss=${s.mib.toFixed(0)} MiB requests=${done}`);
    }, sampleEvery);
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const kind = pick();
        const tally = tallies.get(kind) as Tally;
        const t = performance.now();
        let status = 0;
        try {
          status = await once(kind, serve, admin);
        } catch (err) {
          status = 0;
          tally.firstError ??= String(err);
        }
        tally.times.push(performance.now() - t);
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        if (status === 0 || status >= 500) tally.errors += 1;
      }
    }));
    clearInterval(sampler);
    rss.push({ atS: Math.round((performance.now() - start) / 1000), mib: rssMiB(pid) });
  } finally {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  let total = 0;
  let errors = 0;
  console.log("\n| request | count | p50 ms | p99 ms | max ms | statuses |\n|---|---:|---:|---:|---:|---|");
  const all: number[] = [];
  for (const [kind, t] of tallies) {
    const sorted = [...t.times].sort((a, b) => a - b);
    for (const ms of sorted) all.push(ms);
    total += sorted.length;
    errors += t.errors;
    const statuses = [...t.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? "failed" : s === GITHUB_LIMITED ? "GitHub rate limit" : s}×${n}`).join(" ");
    console.log(`| ${kind} | ${sorted.length} | ${pct(sorted, 50).toFixed(1)} | ${pct(sorted, 99).toFixed(1)} | ${(sorted.at(-1) ?? NaN).toFixed(0)} | ${statuses} |`);
  }
  for (const [kind, t] of tallies) if (t.firstError !== undefined) console.log(`first failure of ${kind}: ${t.firstError}`);
  all.sort((a, b) => a - b);
  console.log(`| all | ${total} | ${pct(all, 50).toFixed(1)} | ${pct(all, 99).toFixed(1)} | ${(all.at(-1) ?? NaN).toFixed(0)} | |`);
  console.log(`\nserver errors: ${errors} of ${total} (${((errors / Math.max(1, total)) * 100).toFixed(3)} %)`);
  console.log(`service RSS (MiB) over time: ${rss.map((s) => `${s.atS}s:${s.mib.toFixed(0)}`).join(" ")}`);
  return errors === 0 ? 0 : 1;
}

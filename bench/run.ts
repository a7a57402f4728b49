/**
 * `npm run bench`: the hot paths, measured on this machine.
 * - a session check (`users.authenticate`: one indexed lookup), in-process and over HTTP;
 * - a whole GitHub sign-in through the browser flow against the emulator, and how many requests
 *   it makes to GitHub;
 * - a password sign-in with the production scrypt cost;
 * - the client's authorize-URL step (state, verifier, S256 challenge).
 * Each against SQLite, and PostgreSQL when it can be started here (as the tests do). Then the
 * peers (bench/peers.ts): Gatehouse beside other sign-in libraries, each in its own process.
 * `--peers` runs only those.
 * Figures go to stdout; bench/README.md records the latest run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { GitHubOAuth } from "../src/github/index.js";
import { DEFAULT_SCRYPT } from "../src/users/passwords.js";
import { startStack } from "../test/server/harness.js";
import { measure, report, type Figures } from "./measure.js";
import { benchDatabase } from "./database.js";
import { benchScale } from "./scale.js";
import { benchStart } from "./start.js";
import { startPostgres } from "../scripts/postgres.mjs";
import { benchPeers } from "./peers.js";

// `npm run bench -- soak [--minutes N]`: the long mixed-load run (bench/soak.ts) instead of the figures below.
if (process.argv[2] === "soak") {
  const { main } = await import("./soak.js");
  process.exit(await main(process.argv.slice(3)));
}

const quick = process.argv.includes("--quick");
const N = (n: number) => (quick ? Math.max(10, Math.round(n / 10)) : n);
const scaleArg = process.argv.find((a) => a.startsWith("--scale"));

async function benchPassword(): Promise<Figures[]> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
  const stack = await startStack({ database: `sqlite:${join(dir, "pw.db")}`, config: { passwordParams: DEFAULT_SCRYPT, loginLimits: { perUsername: { limit: 1_000_000, windowMs: 60_000 }, perAddress: { limit: 1_000_000, windowMs: 60_000 } } } });
  try {
    await stack.gatehouse.users.create({ username: "alice", role: "user", password: "correct horse battery staple" });
    return [await measure(`password sign-in, scrypt N=2^${DEFAULT_SCRYPT.ln} r=${DEFAULT_SCRYPT.r}`, N(40), async () => {
      await stack.gatehouse.users.signInWithPassword("alice", "correct horse battery staple", { address: "127.0.0.1" });
    }, 2)];
  } finally {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchClient(): Promise<Figures[]> {
  const github = new GitHubOAuth({ clientId: "Ov23liBench", redirectUri: "https://app.example/callback" });
  return [await measure("client: createAuthorizationUrl (state + verifier + S256)", N(50000), () => github.createAuthorizationUrl())];
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(`# Gatehouse benchmarks — Node ${process.version}, ${cpus().length} × ${cpu}${quick ? " (quick)" : ""}`);
if (scaleArg !== undefined) {
  // --scale[=ROWS]: the session check and sign-in with ROWS users and ROWS live sessions (default 1,000,000) beside 1,000;
  // --rounds=N alternating rounds (default 3).
  const rows = Number(scaleArg.split("=")[1] ?? 1_000_000);
  const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice("--rounds=".length) ?? 3);
  console.log((await benchScale([1000, rows], N, rounds)).join("\n"));
  process.exit(0);
}
if (process.argv.includes("--start")) {
  console.log((await benchStart(quick ? 3 : 7)).join("\n"));
  process.exit(0);
}
if (process.argv.includes("--peers")) {
  // --only=gatehouse,passport: those peers alone; --no-check: sign-ins only; --check-only: the session check only;
  // --steps: each sign-in also split into its start and callback, warm; --repeat=N: N rounds over the servers, medians.
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
  const checkOnly = process.argv.includes("--check-only");
  console.log((await benchPeers({ signIns: N(300), concurrency: 8, loadMs: quick ? 1000 : 5000, rounds: 3,
    only: checkOnly ? [] : only, noCheck: process.argv.includes("--no-check"), steps: process.argv.includes("--steps"),
    repeat: Number(process.argv.find((a) => a.startsWith("--repeat="))?.slice("--repeat=".length) ?? 1) })).join("\n"));
  process.exit(0);
}
const rows: Figures[] = [];
rows.push(...(await benchClient()));
rows.push(...(await benchPassword()));
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
try {
  rows.push(...(await benchDatabase("SQLite", `sqlite:${join(dir, "bench.db")}`, N)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const pg = process.env.GATEHOUSE_TEST_POSTGRES_URL ? { url: process.env.GATEHOUSE_TEST_POSTGRES_URL, stop: () => {}, reason: "" } : await startPostgres();
if (pg.url) {
  try {
    rows.push(...(await benchDatabase("PostgreSQL", pg.url, N)));
  } finally {
    pg.stop();
  }
} else {
  console.log(`# PostgreSQL skipped: ${pg.reason}`);
}
console.log(report(rows));
console.log((await benchPeers({ signIns: N(300), concurrency: 8, loadMs: quick ? 1000 : 5000, rounds: 3 })).join("\n"));

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
import { signInWithGitHub, startStack } from "../test/server/harness.js";
import { measure, measureConcurrent, report, type Figures } from "./measure.js";
import { startPostgres } from "../scripts/postgres.mjs";
import { benchPeers } from "./peers.js";

const quick = process.argv.includes("--quick");
const N = (n: number) => (quick ? Math.max(10, Math.round(n / 10)) : n);

async function benchDatabase(label: string, database: string): Promise<Figures[]> {
  const stack = await startStack({ database, users: [
    { login: "octocat", id: 583231, name: "The Octocat", emails: [{ email: "octocat@github.com", primary: true, verified: true, visibility: "public" }] },
  ] });
  const rows: Figures[] = [];
  try {
    // One signed-in user; its session token is what the checks present.
    const browser = stack.browser();
    const done = await signInWithGitHub(stack, browser, "octocat");
    if (done.status !== 302) throw new Error(`sign-in failed: ${done.status}`);
    const me = await browser.fetch("/api/users/me");
    if (me.status !== 200) throw new Error(`/api/users/me: ${me.status}`);
    const cookie = browser.cookies.get("gatehouse_session");
    if (!cookie) throw new Error("no session cookie");
    const token = decodeURIComponent(cookie);

    rows.push(await measure(`${label}: session check, users.authenticate`, N(20000), async () => {
      if (!(await stack.gatehouse.users.authenticate(token))) throw new Error("not authenticated");
    }));
    const meUrl = `${stack.url}/api/users/me`;
    const headers = { authorization: `Bearer ${token}` };
    rows.push(await measure(`${label}: GET /api/users/me in-process (fetch handler)`, N(10000), async () => {
      const res = await stack.gatehouse.fetch(new Request(meUrl, { headers }));
      if (res.status !== 200) throw new Error(String(res.status));
      await res.arrayBuffer();
    }));
    rows.push(await measureConcurrent(`${label}: GET /api/users/me over HTTP`, N(10000), 16, async () => {
      const res = await fetch(meUrl, { headers });
      if (res.status !== 200) throw new Error(String(res.status));
      await res.arrayBuffer();
    }));

    stack.gh.clearRequests();
    const signIns = N(300);
    const row = await measure(`${label}: GitHub sign-in, whole browser flow`, signIns, async () => {
      const b = stack.browser();
      const res = await signInWithGitHub(stack, b, "octocat");
      if (res.status !== 302 || !b.cookies.has("gatehouse_session")) throw new Error(`sign-in failed: ${res.status}`);
    }, 0);
    const calls = stack.gh.requests().filter((r) => r.route !== null && !r.route.startsWith("GET /login/oauth/authorize"));
    row.note = `${(calls.length / signIns).toFixed(1)} server-to-GitHub requests per sign-in (${[...new Set(calls.map((r) => r.route))].join(", ")})`;
    rows.push(row);
  } finally {
    await stack.close();
  }
  return rows;
}

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
if (process.argv.includes("--peers")) {
  console.log((await benchPeers({ signIns: N(300), concurrency: 8, loadMs: quick ? 1000 : 5000, rounds: 3 })).join("\n"));
  process.exit(0);
}
const rows: Figures[] = [];
rows.push(...(await benchClient()));
rows.push(...(await benchPassword()));
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
try {
  rows.push(...(await benchDatabase("SQLite", `sqlite:${join(dir, "bench.db")}`)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const pg = process.env.GATEHOUSE_TEST_POSTGRES_URL ? { url: process.env.GATEHOUSE_TEST_POSTGRES_URL, stop: () => {}, reason: "" } : await startPostgres();
if (pg.url) {
  try {
    rows.push(...(await benchDatabase("PostgreSQL", pg.url)));
  } finally {
    pg.stop();
  }
} else {
  console.log(`# PostgreSQL skipped: ${pg.reason}`);
}
console.log(report(rows));
console.log((await benchPeers({ signIns: N(300), concurrency: 8, loadMs: quick ? 1000 : 5000, rounds: 3 })).join("\n"));

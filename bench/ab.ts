/**
 * A/B of the session check between two checkouts of Gatehouse, side by side on one machine:
 * `node --import tsx bench/ab.ts DIR_A DIR_B` starts `bench/servers/gatehouse.mjs` of each, on its
 * own dist/ (compiled first when stale) and its own SQLite file, one fake GitHub; signs in once on
 * each, then loads `GET /api/users/me` on A and B in turn (a throwaway round, then ROUNDS, default
 * 4, of MS milliseconds, default 3000) and prints each server's CPU per request and the medians.
 * A change is measured against its parent this way: the rounds alternate, so a change in the
 * machine's load falls on both. ENV_A / ENV_B (JSON) add environment to one side
 * (`ENV_B='{"BENCH_LOG_LEVEL":"warn"}'` with the same DIR twice measures the request line);
 * CHECK_PATH loads another path.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ServerHandle } from "./peers.js";

const [dirA, dirB] = process.argv.slice(2).map((d) => resolve(d));
if (!dirA || !dirB) throw new Error("usage: node --import tsx bench/ab.ts DIR_A DIR_B");
const { startGitHubEmulator } = await import(join(dirB, "src/emulator/index.ts")) as typeof import("../src/emulator/index.js");
const { runLoad } = await import(join(dirB, "bench/load.ts")) as typeof import("./load.js");
const clientId = "Ov23liPeersBench";
const clientSecret = "peers-bench-secret-0123456789abcdef";
const gh = await startGitHubEmulator({
  apps: [{ clientId, clientSecret, kind: "oauth-app", callbackUrls: ["http://127.0.0.1/auth/github/callback"] }],
  users: [{ login: "octocat", id: 583231, name: "The Octocat", emails: [{ email: "octocat@github.com", primary: true, verified: true, visibility: "public" }] }],
});
gh.setAutoApprove("octocat");
const tmp = mkdtempSync(join(tmpdir(), "gatehouse-ab-"));
const env = { BENCH_GITHUB_URL: gh.url, BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret };
const path = process.env.CHECK_PATH ?? "/api/users/me";
const sides: Array<{ name: "A" | "B"; server: ServerHandle; headers: Record<string, string>; cpu: number[] }> = [];
try {
  for (const [name, dir] of [["A", dirA], ["B", dirB]] as const) {
    // Each side's own harness, so a checkout's servers and sign-in are its own.
    const peers = await import(join(dir, "bench/peers.ts")) as typeof import("./peers.js");
    // Checkouts from before the server ran compiled have gatehouse.ts (run from src/ under tsx).
    const file = existsSync(join(dir, "bench/servers/gatehouse.mjs")) ? "gatehouse.mjs" : "gatehouse.ts";
    if (file === "gatehouse.mjs") await peers.freshDist(dir);
    const server = await peers.startServer(file, { ...env, ...(JSON.parse(process.env[`ENV_${name}`] ?? "{}") as Record<string, string>), BENCH_DATABASE: `sqlite:${join(tmp, `${name}.db`)}` });
    const cookie = (await peers.signIn(server.url)).cookies.header();
    if (!cookie) throw new Error(`${name}: no session cookie`);
    sides.push({ name, server, headers: { cookie }, cpu: [] });
  }
  const rounds = Number(process.env.ROUNDS ?? 4);
  for (let round = -1; round < rounds; round++) {
    for (const side of sides) {
      const before = await side.server.usage();
      const r = await runLoad({ url: `${side.server.url}${path}`, headers: side.headers, connections: 16, durationMs: Number(process.env.MS ?? 3000), expectStatus: 200 });
      const cpu = ((await side.server.usage()).cpuMicros - before.cpuMicros) / r.requests;
      if (round >= 0) side.cpu.push(cpu);
      console.log(`${side.name}${round < 0 ? " (warm-up)" : ""}: ${r.requestsPerSecond.toFixed(0)} req/s, ${cpu.toFixed(1)} µs CPU/req`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`median µs of server CPU per request: A ${median(sides[0]!.cpu).toFixed(1)}, B ${median(sides[1]!.cpu).toFixed(1)}`);
} finally {
  for (const side of sides) side.server.stop();
  await gh.close();
  rmSync(tmp, { recursive: true, force: true });
}

// temporary: start bare + gatehouse, print pids, run load alternately with CPU per request
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitHubEmulator } from "../src/emulator/index.js";
import { startServer, signIn } from "./peers.js";
import { runLoad } from "./load.js";
const clientId = "Ov23liPeersBench", clientSecret = "peers-bench-secret-0123456789abcdef";
const gh = await startGitHubEmulator({ apps: [{ clientId, clientSecret, kind: "oauth-app", callbackUrls: ["http://127.0.0.1/auth/github/callback"] }],
  users: [{ login: "octocat", id: 583231, name: "The Octocat", emails: [{ email: "octocat@github.com", primary: true, verified: true, visibility: "public" }] }] });
gh.setAutoApprove("octocat");
const dir = mkdtempSync(join(tmpdir(), "gh-check-"));
const env = { BENCH_GITHUB_URL: gh.url, BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret };
const only = process.env.ONLY ?? "bare,gatehouse";
const targets = [] as { name: string; s: Awaited<ReturnType<typeof startServer>>; path: string; headers: Record<string, string> }[];
if (only.includes("bare")) targets.push({ name: "bare", s: await startServer("bare.ts", env), path: "/", headers: {} });
if (only.includes("gatehouse")) {
  const s = await startServer("gatehouse.ts", { ...env, BENCH_DATABASE: `sqlite:${join(dir, "c.db")}` });
  const cookie = (await signIn(s.url)).cookies.header()!;
  targets.push({ name: "gatehouse", s, path: process.env.CHECK_PATH ?? "/api/users/me", headers: { cookie } });
}
for (const t of targets) console.log(t.name, "pid", t.s.child.pid);
if (process.env.WAIT) await new Promise((r) => setTimeout(r, Number(process.env.WAIT)));
const rounds = Number(process.env.ROUNDS ?? 3);
for (let r = 0; r < rounds; r++) for (const t of targets) {
  const b = await t.s.usage();
  const res = await runLoad({ url: `${t.s.url}${t.path}`, headers: t.headers, connections: 16, durationMs: Number(process.env.MS ?? 4000), expectStatus: 200 });
  const a = await t.s.usage();
  console.log(`${t.name}: ${res.requestsPerSecond.toFixed(0)} req/s, ${((a.cpuMicros - b.cpuMicros) / res.requests).toFixed(1)} µs CPU/req`);
}
for (const t of targets) t.s.stop();
await gh.close();

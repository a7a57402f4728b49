/**
 * `npm run bench -- peers`: Gatehouse beside other GitHub sign-in libraries, in one run on one
 * machine. Every server is its own process doing a real GitHub sign-in against the same fake GitHub
 * (the project's emulator, in this process); the figures per server are its own CPU time per
 * sign-in (process.cpuUsage of the server process), sign-ins per second, p50/p99 and peak RSS. Then
 * the session check (`GET /api/users/me` with the cookie of a sign-in) against a bare node:http
 * server answering a constant JSON body, alternating runs with the same load generator.
 *
 * Peers whose packages are not installed (bench/package.json, `npm run bench` installs them) are
 * reported as skipped with the reason, never given a figure.
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { startGitHubEmulator } from "../src/emulator/index.js";
import { Browser } from "../test/server/harness.js";
import { runLoad } from "./load.js";
import type { LoadResult } from "./load.js";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Compiles `dir`'s src/ to dist/ when it changed since the last build (as `npm start` does), so
 * `servers/gatehouse.mjs` runs the code of the checkout, compiled, as a deployment runs it.
 */
export async function freshDist(dir: string): Promise<void> {
  const { isStale, build } = (await import(pathToFileURL(resolve(dir, "scripts/build.mjs")).href)) as { isStale(): boolean; build(): number };
  if (isStale() && build() !== 0) throw new Error(`${dir}: npm run build failed`);
}

export interface PeerSpec {
  name: string;
  /** Server file under bench/servers/. */
  file: string;
  /** Packages (in bench/node_modules) it needs; missing ones skip it. */
  needs: string[];
  database?: "sqlite";
  writesDb: boolean;
  /** How a browser starts its sign-in: `get` (GET /auth/github, the default) or Auth.js's CSRF-token form post. */
  start?: "get" | "authjs" | "better-auth";
}

export const PEERS: PeerSpec[] = [
  { name: "Gatehouse (SQLite)", file: "gatehouse.mjs", needs: [], database: "sqlite", writesDb: true },
  { name: "passport-github2 (state + PKCE)", file: "passport.mjs", needs: ["passport-github2", "express-session"], writesDb: false },
  { name: "passport-github2, sessions and users in SQLite", file: "passport-sqlite.mjs", needs: ["passport-github2", "express-session"], database: "sqlite", writesDb: true },
  { name: "arctic", file: "arctic.mjs", needs: ["arctic"], writesDb: false },
  { name: "Octokit oauth-app", file: "octokit.mjs", needs: ["@octokit/oauth-app"], writesDb: false },
  { name: "Auth.js (Express, JWT session)", file: "authjs.mjs", needs: ["@auth/express"], writesDb: false, start: "authjs" },
  { name: "better-auth (SQLite)", file: "better-auth.mjs", needs: ["better-auth"], database: "sqlite", writesDb: true, start: "better-auth" },
];

export interface ServerHandle {
  url: string;
  /** The fake GitHub it was given. */
  githubUrl: string;
  child: ChildProcess;
  usage(): Promise<{ cpuMicros: number; maxRssBytes: number }>;
  stop(): void;
}

/** Forks a server file of bench/servers/ and waits until it listens. */
export async function startServer(file: string, env: Record<string, string>): Promise<ServerHandle> {
  const child = fork(join(here, "servers", file), [], {
    // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each server there when it stops.
    execArgv: [...(file.endsWith(".ts") ? ["--import", "tsx"] : []),
      ...(process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF_DIR] : [])],
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before listening`)));
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m.type === "ready" && m.url) resolve(m.url);
    });
  });
  child.removeAllListeners("exit");
  return {
    url,
    githubUrl: env.BENCH_GITHUB_URL ?? "",
    child,
    usage: () => new Promise((resolve) => {
      const onMessage = (m: { type?: string; cpuMicros?: number; maxRssBytes?: number }) => {
        if (m.type !== "usage") return;
        child.off("message", onMessage);
        resolve({ cpuMicros: m.cpuMicros ?? NaN, maxRssBytes: m.maxRssBytes ?? NaN });
      };
      child.on("message", onMessage);
      child.send("usage");
    }),
    // Disconnecting lets the server exit by itself (and write its profile when asked to).
    stop: () => child.disconnect(),
  };
}

/**
 * One whole browser sign-in: the server's start URL → the fake GitHub's authorize page (approved
 * automatically) → the server's callback. Success is a redirect that set the session: every peer
 * server sends the browser to `/done` when it signed in and `/failed` when it did not.
 */
export async function signIn(url: string, how: PeerSpec["start"] = "get", githubUrl = ""): Promise<Browser> {
  const browser = new Browser(url);
  let start: Response;
  if (how === "authjs") {
    const { csrfToken } = (await (await browser.fetch("/auth/csrf")).json()) as { csrfToken: string };
    start = await browser.fetch("/auth/signin/github", { method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken, callbackUrl: "/done" }).toString() });
  } else if (how === "better-auth") {
    const res = await browser.fetch("/api/auth/sign-in/social", { method: "POST", json: { provider: "github", callbackURL: "/done" } });
    const { url: to } = (await res.json()) as { url: string };
    // Its authorize URL names github.com, which stands for the fake GitHub here too.
    start = new Response(null, { status: 302, headers: { location: to.replace("https://github.com", githubUrl) } });
  } else {
    start = await browser.fetch("/auth/github?return_to=/done");
  }
  const authorize = start.headers.get("location");
  if (start.status !== 302 || !authorize) throw new Error(`${url}/auth/github: ${start.status}`);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = approved.headers.get("location");
  if (approved.status !== 302 || !callback) throw new Error(`authorize: ${approved.status} ${await approved.text()}`);
  const done = await browser.fetch(callback);
  const location = done.headers.get("location") ?? "";
  if (![302, 303].includes(done.status) || !location.endsWith("/done")) throw new Error(`callback: ${done.status} → ${location} ${await done.text()}`);
  return browser;
}

export interface SignInFigures {
  name: string;
  writesDb: boolean;
  cpuMsPerSignIn: number;
  signInsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
}

/** `total` sign-ins from `concurrency` browsers at once, after a warm-up. */
export async function measureSignIns(spec: PeerSpec, server: ServerHandle, total: number, concurrency: number): Promise<SignInFigures> {
  for (let i = 0; i < 30; i++) await signIn(server.url, spec.start, server.githubUrl);
  const before = await server.usage();
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const t = performance.now();
      await signIn(server.url, spec.start, server.githubUrl);
      times.push(performance.now() - t);
    }
  }));
  const elapsed = performance.now() - start;
  const after = await server.usage();
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return {
    name: spec.name,
    writesDb: spec.writesDb,
    cpuMsPerSignIn: (after.cpuMicros - before.cpuMicros) / 1000 / total,
    signInsPerSecond: (total / elapsed) * 1000,
    p50Ms: at(50),
    p99Ms: at(99),
    peakRssMb: after.maxRssBytes / 2 ** 20,
  };
}

/** Server CPU of the two steps of a sign-in, once the server's code is warm. */
export interface StepFigures {
  beginMicros: number;
  callbackMicros: number;
  signInMicros: number;
}

/**
 * Splits a sign-in's server CPU into its start (`/auth/github` alone, `begins` times) and the rest
 * (whole sign-ins minus a start): the callback. Two rounds, the second reported: the first still
 * pays for the JIT warming up (~25 % more CPU), which the sign-in table's 300 include.
 */
export async function measureSteps(server: ServerHandle, begins: number, signIns: number, concurrency: number): Promise<StepFigures> {
  const inParallel = async (n: number, step: () => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        await step();
      }
    }));
  };
  const begin = async () => {
    const res = await new Browser(server.url).fetch("/auth/github?return_to=/done");
    if (res.status !== 302) throw new Error(`${server.url}/auth/github: ${res.status}`);
  };
  let figures: StepFigures = { beginMicros: NaN, callbackMicros: NaN, signInMicros: NaN };
  for (let round = 0; round < 2; round++) {
    const a = await server.usage();
    await inParallel(begins, begin);
    const b = await server.usage();
    await inParallel(signIns, () => signIn(server.url, "get", server.githubUrl));
    const c = await server.usage();
    const beginMicros = (b.cpuMicros - a.cpuMicros) / begins;
    const signInMicros = (c.cpuMicros - b.cpuMicros) / signIns;
    figures = { beginMicros, callbackMicros: signInMicros - beginMicros, signInMicros };
  }
  return figures;
}

function missing(spec: PeerSpec): string[] {
  return spec.needs.filter((p) => !existsSync(join(here, "node_modules", p, "package.json")));
}

const fmt = (n: number, d = 1) => n.toFixed(d);

export interface PeersOptions {
  signIns: number;
  concurrency: number;
  loadMs: number;
  rounds: number;
  /** Only the peers whose server file starts with one of these (`--only=gatehouse,passport`); every peer when absent. */
  only?: string[] | undefined;
  /** Skip the session-check part (`--no-check`). */
  noCheck?: boolean;
  /** Also split each sign-in into start and callback, warm (`--steps`; the peers started by a GET). */
  steps?: boolean;
  /** Rounds over all the servers' sign-ins (`--repeat=N`, default 1): medians, and each server's ratio to passport-github2 within a round. */
  repeat?: number;
}

/** The whole comparison; returns the report as lines. */
export async function benchPeers(options: PeersOptions): Promise<string[]> {
  const clientId = "Ov23liPeersBench";
  const clientSecret = "peers-bench-secret-0123456789abcdef";
  // The fake GitHub keeps GitHub's 5,000 requests an hour per user, and every server signs in the
  // same user: its clock moves on an hour before each server, so each starts with a fresh window.
  let hoursAhead = 0;
  const gh = await startGitHubEmulator({
    now: () => Date.now() + hoursAhead * 3_600_000,
    apps: [{ clientId, clientSecret, kind: "oauth-app", callbackUrls: ["http://127.0.0.1/auth/github/callback", "http://127.0.0.1/auth/callback/github", "http://127.0.0.1/api/auth/callback/github"] }],
    users: [{ login: "octocat", id: 583231, name: "The Octocat", emails: [{ email: "octocat@github.com", primary: true, verified: true, visibility: "public" }] }],
  });
  gh.setAutoApprove("octocat");
  await freshDist(join(here, ".."));
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-peers-"));
  const env = { BENCH_GITHUB_URL: gh.url, BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret };
  const lines: string[] = [];
  const stepLines: string[] = [];
  try {
    const repeat = Math.max(1, options.repeat ?? 1);
    lines.push(`## GitHub sign-in: ${options.signIns} sign-ins, ${options.concurrency} concurrent, one fake GitHub` +
      (repeat > 1 ? `, ${repeat} rounds over all servers (medians; the ratio is taken within each round)` : ""), "",
      "| server | server CPU per sign-in | / passport-github2 | sign-ins/s | p50 | p99 | peak RSS | writes a DB |", "|---|---|---|---|---|---|---|---|");
    const selected = PEERS.filter((spec) => !options.only || options.only.some((o) => spec.file.startsWith(o)));
    // Rounds go over every server in turn, so a change in the machine's speed falls on all of them.
    const rounds = new Map<PeerSpec, Array<SignInFigures | undefined>>(selected.map((spec) => [spec, []]));
    const failed = new Map<PeerSpec, string>();
    for (let round = 0; round < repeat; round++) {
      for (const spec of selected) {
        if (missing(spec).length > 0 || failed.has(spec)) continue;
        hoursAhead += 1;
        const server = await startServer(spec.file, { ...env, BENCH_DATABASE: `sqlite:${join(dir, `${spec.file}.db`)}` });
        try {
          rounds.get(spec)![round] = await measureSignIns(spec, server, options.signIns, options.concurrency);
          if (round === 0 && options.steps && (spec.start ?? "get") === "get") {
            try {
              const st = await measureSteps(server, 2 * options.signIns, options.signIns, options.concurrency);
              stepLines.push(`| ${spec.name} | ${fmt(st.beginMicros, 0)} µs | ${fmt(st.callbackMicros, 0)} µs | ${fmt(st.signInMicros, 0)} µs |`);
            } catch (err) {
              stepLines.push(`| ${spec.name} | failed: ${(err as Error).message.slice(0, 120)} | | |`);
            }
          }
        } catch (err) {
          failed.set(spec, (err as Error).message.slice(0, 120));
        } finally {
          server.stop();
        }
      }
    }
    const passport = selected.find((spec) => spec.file === "passport.mjs");
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((x, y) => x - y);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[mid] ?? NaN : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
    };
    for (const spec of selected) {
      const lacking = missing(spec);
      if (lacking.length > 0) {
        lines.push(`| ${spec.name} | skipped: ${lacking.join(", ")} not installed (run \`npm run bench\`) | | | | | | |`);
        continue;
      }
      const runs = (rounds.get(spec) ?? []).filter((f): f is SignInFigures => f !== undefined);
      if (failed.has(spec) || runs.length === 0) {
        lines.push(`| ${spec.name} | failed: ${failed.get(spec) ?? "no round finished"} | | | | | | |`);
        continue;
      }
      const cpu = runs.map((f) => f.cpuMsPerSignIn);
      const range = runs.length > 1 ? ` (${fmt(Math.min(...cpu), 2)}–${fmt(Math.max(...cpu), 2)})` : "";
      const ratios = passport === undefined ? [] : (rounds.get(spec) ?? []).flatMap((f, i) => {
        const p = rounds.get(passport)?.[i];
        return f && p ? [f.cpuMsPerSignIn / p.cpuMsPerSignIn] : [];
      });
      const at = (k: keyof SignInFigures) => median(runs.map((f) => f[k] as number));
      lines.push(`| ${spec.name} | ${fmt(median(cpu), 2)} ms${range} | ${ratios.length > 0 ? fmt(median(ratios), 2) : "–"} | ${fmt(at("signInsPerSecond"), 0)} | ` +
        `${fmt(at("p50Ms"))} ms | ${fmt(at("p99Ms"))} ms | ${fmt(at("peakRssMb"), 0)} MB | ${spec.writesDb ? "yes" : "no"} |`);
    }

    if (stepLines.length > 0) {
      lines.push("", "## Server CPU per step, warm (second of two rounds)", "", "| server | start (`/auth/github`) | callback | whole sign-in |", "|---|---|---|---|", ...stepLines);
    }
    if (options.noCheck) return lines;
    // The session check, alternating with the bare servers so all see the same background load.
    const targets = [
      { name: "bare node:http, constant JSON", server: await startServer("bare.ts", env), path: "/", headers: {} as Record<string, string> },
      { name: "bare Hono on @hono/node-server, constant JSON", server: await startServer("hono-bare.ts", env), path: "/", headers: {} },
      { name: "Gatehouse GET /api/users/me (SQLite, cookie)", server: await startServer("gatehouse.mjs", { ...env, BENCH_DATABASE: `sqlite:${join(dir, "check.db")}` }), path: "/api/users/me", headers: {} },
    ];
    try {
      const gatehouse = targets[2]!;
      const cookie = (await signIn(gatehouse.server.url)).cookies.header();
      if (!cookie) throw new Error("no session cookie");
      gatehouse.headers = { cookie };
      // The floor reads the session Gatehouse just wrote, from the same file.
      const floor = (memory: boolean) => startServer("floor.ts", { ...env, BENCH_DATABASE: `sqlite:${join(dir, "check.db")}`, BENCH_FLOOR_MEMORY: memory ? "1" : "" });
      targets.splice(2, 0,
        { name: "floor: node:http + the same cookie read, SHA-256, lookup and JSON", server: await floor(false), path: "/api/users/me", headers: { cookie } },
        { name: "floor with the rows kept in memory (no revocation)", server: await floor(true), path: "/api/users/me", headers: { cookie } });
      // Each round also takes the server's own CPU time per request, which the background load moves less than throughput.
      type Round = LoadResult & { cpuMicrosPerRequest: number };
      const runs = targets.map(() => [] as Round[]);
      const load = async (t: (typeof targets)[number]): Promise<Round> => {
        const before = await t.server.usage();
        const r = await runLoad({ url: `${t.server.url}${t.path}`, headers: t.headers, connections: 16, durationMs: options.loadMs, expectStatus: 200 });
        const after = await t.server.usage();
        return { ...r, cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / r.requests };
      };
      for (const t of targets) await load(t); // warm-up
      for (let r = 0; r < options.rounds; r++) for (const [i, t] of targets.entries()) runs[i]!.push(await load(t));
      const mean = (xs: Round[], k: keyof Round) => xs.reduce((a, x) => a + x[k], 0) / xs.length;
      lines.push("", `## Session check: 16 keep-alive connections, ${options.rounds} alternating rounds of ${options.loadMs / 1000} s`, "",
        "| server | requests/s | server CPU per request | p50 | p99 | peak RSS |", "|---|---|---|---|---|---|");
      for (const [i, t] of targets.entries()) {
        const u = await t.server.usage();
        lines.push(`| ${t.name} | ${fmt(mean(runs[i]!, "requestsPerSecond"), 0)} | ${fmt(mean(runs[i]!, "cpuMicrosPerRequest"), 1)} µs | ${fmt(mean(runs[i]!, "p50Ms"), 2)} ms | ${fmt(mean(runs[i]!, "p99Ms"), 2)} ms | ${fmt(u.maxRssBytes / 2 ** 20, 0)} MB |`);
      }
      const perSecond = (t: (typeof targets)[number]) => mean(runs[targets.indexOf(t)]!, "requestsPerSecond");
      lines.push("", `Session check / bare node:http: **${(perSecond(gatehouse) / perSecond(targets[0]!)).toFixed(2)}**` +
        ` (the floor: ${(perSecond(targets[2]!) / perSecond(targets[0]!)).toFixed(2)}; with the rows in memory: ${(perSecond(targets[3]!) / perSecond(targets[0]!)).toFixed(2)})`);
    } finally {
      for (const t of targets) t.server.stop();
    }
  } finally {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

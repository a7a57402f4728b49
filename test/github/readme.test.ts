/** The README's "Sign in with GitHub in 20 lines" runs as written, against the emulator. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startGitHubEmulator, type GitHubEmulatorHandle } from "../../src/emulator/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// Under node_modules so that the example's own imports (hono, @hono/node-server) resolve as for a user.
const work = join(root, "node_modules/.cache/gatehouse-readme", String(process.pid));

function example(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const m = /### Sign in with GitHub in 20 lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, "README has the example");
  return m[1]!;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => res(port));
    });
  });
}

let gh: GitHubEmulatorHandle;
let child: ChildProcess | undefined;
let base = "";
let output = "";

before(async () => {
  mkdirSync(work, { recursive: true });
  const code = example().replace(`"gatehouse/github"`, JSON.stringify(pathToFileURL(join(root, "src/github/index.ts")).href));
  writeFileSync(join(work, "sign-in.ts"), code);
  // An ESM package, as a user's project would be (Node does not look above node_modules for "type").
  writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module" }));
  gh = await startGitHubEmulator({ autoApprove: "octocat" });
  const app = gh.apps()[0]!;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ["--import", "tsx", join(work, "sign-in.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), GITHUB_CLIENT_ID: app.clientId, GITHUB_CLIENT_SECRET: app.clientSecret, GITHUB_WEB_URL: gh.url, GITHUB_API_URL: gh.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${base}/login`, { redirect: "manual" });
      return;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the example did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(async () => {
  child?.kill();
  await gh?.close();
  rmSync(work, { recursive: true, force: true });
});

test("README example is at most 20 lines besides its imports", () => {
  const lines = example().split("\n").filter((l) => l.trim() !== "" && !l.startsWith("import "));
  assert.ok(lines.length <= 20, `${lines.length} lines`);
});

test("README example signs octocat in through the emulator: login -> GitHub -> callback -> identity", async () => {
  const login = await fetch(`${base}/login`, { redirect: "manual" });
  assert.equal(login.status, 302);
  const cookie = login.headers.get("set-cookie") ?? "";
  assert.match(cookie, /gh_state=[^;]+;.*HttpOnly/i);
  const authorizeUrl = new URL(login.headers.get("location") ?? "");
  assert.equal(authorizeUrl.origin, gh.url);
  assert.equal(authorizeUrl.searchParams.get("code_challenge_method"), "S256");

  const github = await fetch(authorizeUrl, { redirect: "manual" });
  const callback = github.headers.get("location") ?? "";
  assert.ok(callback.startsWith(`${base}/callback?`), callback);

  const done = await fetch(callback, { headers: { cookie: cookie.split(";")[0]! } });
  assert.equal(done.status, 200, output);
  assert.equal(await done.text(), "Hello octocat (#583231, octocat@github.com)");
});

test("README example refuses a callback from another browser (no state cookie)", async () => {
  const login = await fetch(`${base}/login`, { redirect: "manual" });
  const callback = (await fetch(login.headers.get("location") ?? "", { redirect: "manual" })).headers.get("location") ?? "";
  const res = await fetch(callback);
  assert.notEqual(res.status, 200);
  assert.doesNotMatch(await res.text(), /Hello/);
  assert.equal(gh.requests().filter((r) => r.route === "POST /login/oauth/access_token").length, 1, "no second exchange");
});

test("README example type-checks under the project's strict settings", () => {
  const tsconfig = join(work, "tsconfig.json");
  writeFileSync(tsconfig, JSON.stringify({
    extends: join(root, "tsconfig.json"),
    compilerOptions: { noEmit: true, paths: { "gatehouse/github": [join(root, "src/github/index.ts")] } },
    files: [join(work, "readme-example.ts")],
    include: [],
  }));
  writeFileSync(join(work, "readme-example.ts"), example());
  const r = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig], { encoding: "utf8", cwd: root });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

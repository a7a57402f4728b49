/**
 * Every sample in README.md runs as written, against the demo that `npm start` runs (the service
 * with the emulator standing in for GitHub, on free ports in a temp folder). Each fenced block is
 * preceded by `<!-- sample:ID -->`, naming one of the runners below, or `<!-- sample:skip REASON -->`;
 * an unmarked block, or a marker no runner knows, fails. Adaptations are only the ones a test needs:
 * the service's port, the package import pointed at src/, and `npx gatehouse` running src/cli.ts.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/config.js";
import { GATEHOUSE_COMMAND } from "../cli/run-cli.js";
import { holdPort, startServe } from "../cli/serve-process.js";
import type { ServeProcess } from "../cli/serve-process.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

interface Block {
  lang: string;
  code: string;
  /** `sample:…` marker on the line before the fence, without the prefix. */
  marker: string | undefined;
  line: number;
  heading: string;
}

function blocks(): Block[] {
  const lines = readme.split("\n");
  const found: Block[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^#{1,6} /.test(line)) heading = line;
    const open = /^```(\w*)$/.exec(line);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    assert.ok(end > i, `README.md:${i + 1}: unclosed code block`);
    const marker = /^<!-- sample:(.+?) -->$/.exec(lines[i - 1] ?? "")?.[1];
    found.push({ lang: open[1] ?? "", code: lines.slice(i + 1, end).join("\n") + "\n", marker, line: i + 1, heading });
    i = end;
  }
  return found;
}

function block(id: string): Block {
  const matches = blocks().filter((b) => b.marker === id);
  assert.equal(matches.length, 1, `exactly one README block marked sample:${id}`);
  return matches[0]!;
}

/** `npx` on the PATH of the shell samples: `npx gatehouse …` runs this checkout's src/cli.ts, anything else the real npx. */
function shimFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-npx-"));
  const realNpx = spawnSync("bash", ["-c", "command -v npx"], { encoding: "utf8" }).stdout.trim();
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  writeFileSync(join(dir, "npx"), `#!/bin/sh\nif [ "$1" = gatehouse ]; then shift; exec ${GATEHOUSE_COMMAND.map(quote).join(" ")} "$@"; fi\nexec ${quote(realNpx)} "$@"\n`);
  chmodSync(join(dir, "npx"), 0o755);
  return dir;
}

/** Runs a shell sample with bash, stopping at the first failing command or HTTP error status. */
function startShell(code: string, cwd: string, env: Record<string, string>): { stdout(): string; done: Promise<{ status: number | null; stdout: string; stderr: string }> } {
  const strict = `set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n${code}`;
  const child = spawn("bash", ["-c", strict], { cwd, env: { ...process.env, ...env, PATH: `${shim}:${process.env["PATH"] ?? ""}` }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
  return { stdout: () => stdout, done: new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr }))) };
}

const runShell = (code: string, cwd: string, env: Record<string, string>) => startShell(code, cwd, env).done;

let shim = "";
let demoDir = "";
let demo: ServeProcess;

before(async () => {
  shim = shimFolder();
  // A fresh folder, as for a first `npm start`: default database and secret paths, under it.
  demoDir = mkdtempSync(join(tmpdir(), "gatehouse-readme-demo-"));
  demo = await startServe({ GATEHOUSE_PORT: "0" }, demoDir);
});

after(async () => {
  await demo?.stop();
  rmSync(demoDir, { recursive: true, force: true });
  rmSync(shim, { recursive: true, force: true });
});

/** The README's `http://127.0.0.1:3000` is the demo's address here. */
const atDemo = (code: string) => code.replaceAll("http://127.0.0.1:3000", demo.loginUrl.origin);

/** Runs a README program (written to `dir`) with tsx, as its reader would, with a secret and a GitHub app in its environment. */
function startExample(dir: string, code: string): { child: ReturnType<typeof spawn>; output: () => string; exited: Promise<number | null> } {
  writeFileSync(join(dir, "example.mts"), code);
  const child = spawn(process.execPath, ["--import", tsx, join(dir, "example.mts")], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "", GATEHOUSE_SECRET: randomBytes(32).toString("hex"), GITHUB_CLIENT_ID: "Ov23liReadme", GITHUB_CLIENT_SECRET: "readme-secret" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr?.on("data", (d: Buffer) => { out += d.toString(); });
  return { child, output: () => out, exited: new Promise<number | null>((r) => child.on("exit", r)) };
}

const runners: Record<string, () => Promise<void>> = {
  async "startup-output"() {
    const ports = (text: string) => text.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT").trimEnd().split("\n");
    const printed = demo.proc.stdout().split("\n").filter((l) => !l.startsWith("{")).join("\n");
    const expected = ports(block("startup-output").code);
    assert.deepEqual(ports(printed).slice(0, expected.length), expected);
  },

  async curl() {
    const run = await runShell(atDemo(block("curl").code), demoDir, {});
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /"username":"alice"/, "GET /api/users/me answered for alice with the token");
    assert.match(run.stdout, /"status":"pending"/, "the device poll with the real handle");
  },

  async "providers-config"() {
    // The README's list, as GATEHOUSE_OAUTH_PROVIDERS: every entry parses to what the prose says.
    const text = block("providers-config").code;
    const config = loadConfig({ GATEHOUSE_OAUTH_PROVIDERS: text });
    assert.deepEqual(config.oauthProviders.map((p) => [p.name, p.kind, p.displayName, p.signup]), [
      ["gitlab", "oidc", "GitLab", "open"], ["google", "oidc", "Google", "invite"], ["corp", "oidc", "Corp SSO", "open"], ["forge", "oauth2", "Forge", "open"],
    ]);
    const forge = config.oauthProviders[3];
    assert.ok(forge?.kind === "oauth2");
    assert.deepEqual([forge.mapping.id, forge.mapping.username, forge.mapping.email, forge.scopes], ["id", "login", "email", ["read_user"]]);
    // The error line the README quotes, for the same list with an http:// issuer.
    const quoted = /\(`(GATEHOUSE_OAUTH_PROVIDERS: [^`]+)`\)/.exec(readme)?.[1];
    assert.ok(quoted, "the README quotes a configuration error");
    assert.throws(() => loadConfig({ GATEHOUSE_OAUTH_PROVIDERS: text.replace("https://sso.corp.example", "http://sso.corp.example") }), (err: Error) => err.message === quoted);
  },

  async "cli-login"() {
    const config = mkdtempSync(join(tmpdir(), "gatehouse-readme-cli-"));
    try {
      const code = atDemo(block("cli-login").code);
      const running = startShell(code, demoDir, { XDG_CONFIG_HOME: config, GATEHOUSE_SERVER: demo.loginUrl.origin });
      // The person at the browser: approve the printed code at the demo's GitHub.
      let userCode: string | undefined;
      for (const deadline = Date.now() + 20_000; !userCode && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        userCode = /one-time code: (\S+)/.exec(running.stdout())?.[1];
      }
      assert.ok(userCode, `login printed a code:\n${running.stdout()}`);
      const approved = await fetch(`${demo.githubUrl}/_emulator/devices/${userCode}/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "octocat" }) });
      assert.ok(approved.ok, await approved.text());
      const run = await running.done;
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /username: octocat/);
      assert.match(run.stdout, /Signed out of /);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  },

  async "cli-users"() {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-users-"));
    try {
      const run = await runShell(block("cli-users").code, dir, { PASSWORD: "a long enough passphrase" });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /bob/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "emulator-start"() {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-emulator-"));
    const free = await holdPort(0);
    await free.release();
    try {
      writeFileSync(join(dir, "emulator.json"), JSON.stringify({ autoApprove: "octocat" }));
      const lines = block("emulator-start").code.trim().split("\n");
      assert.equal(lines.length, 2);
      for (const line of lines) {
        const command = line.replace("--port 8080", `--port ${free.port}`);
        const child = spawn("bash", ["-c", `exec ${command}`], { cwd: dir, env: { ...process.env, PATH: `${shim}:${process.env["PATH"] ?? ""}` }, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
        child.stderr.on("data", (d: Buffer) => { out += d.toString(); });
        const exited = new Promise<number | null>((r) => child.on("close", r));
        try {
          const deadline = Date.now() + 20_000;
          while (!/controls: /.test(out)) {
            if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${line}:\n${out}`);
            await new Promise((r) => setTimeout(r, 50));
          }
          const url = /listening on (\S+)/.exec(out)?.[1] ?? "";
          if (line.includes("--port")) assert.equal(url, `http://127.0.0.1:${free.port}`);
          assert.equal((await fetch(`${url}/_emulator/users`)).status, 200);
        } finally {
          child.kill("SIGTERM");
          assert.equal(await exited, 0, out);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "node-server"() {
    const code = block("node-server").code
      .replace('from "gatehouse"', `from ${JSON.stringify(pathToFileURL(join(root, "src/index.ts")).href)}`)
      .replace(".listen(3000,", ".listen(0,")
      + 'server.on("listening", () => console.log(`PORT=${(server.address() as { port: number }).port}`));\n';
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-node-"));
    const { child, output, exited } = startExample(dir, code);
    try {
      const deadline = Date.now() + 20_000;
      while (!/PORT=\d+/.test(output())) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`example did not start:\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const base = `http://127.0.0.1:${/PORT=(\d+)/.exec(output())?.[1]}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const login = await fetch(`${base}/auth/github`, { redirect: "manual" });
      assert.equal(login.status, 302);
      assert.match(login.headers.get("location") ?? "", /^https:\/\/github\.com\/login\/oauth\/authorize\?client_id=Ov23liReadme/);
      assert.equal((await fetch(`${base}/api/users`)).status, 401);
    } finally {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "express-mount"() {
    const free = await holdPort(0);
    await free.release();
    const fileUrl = (path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);
    const code = block("express-mount").code
      .replace('from "express"', `from ${fileUrl("node_modules/express/index.js")}`)
      .replace('from "gatehouse/express"', `from ${fileUrl("src/adapters/express.ts")}`)
      .replace('from "gatehouse"', `from ${fileUrl("src/index.ts")}`)
      .replaceAll("3000", String(free.port));
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-express-"));
    const { child, output, exited } = startExample(dir, code);
    const base = `http://127.0.0.1:${free.port}`;
    try {
      for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`example did not start:\n${output()}`);
        if (await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false)) break;
      }
      const login = await fetch(`${base}/auth/github`, { redirect: "manual" });
      assert.match(login.headers.get("location") ?? "", /^https:\/\/github\.com\/login\/oauth\/authorize\?client_id=Ov23liReadme/, "Gatehouse answers its routes inside Express");
      const notes = await fetch(`${base}/notes`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"text":"hi"}' });
      assert.deepEqual(await notes.json(), { saved: { text: "hi" } }, "the app's own route gets its body");
      assert.equal((await fetch(`${base}/dashboard`)).status, 401);
      const page = await fetch(`${base}/dashboard`, { headers: { accept: "text/html" }, redirect: "manual" });
      assert.equal(page.headers.get("location"), `${base}/login?return_to=%2Fdashboard`);
    } finally {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "emulator-test"() {
    const source = block("emulator-test").code.replace('"gatehouse/emulator"', JSON.stringify(pathToFileURL(join(root, "src/emulator/index.ts")).href));
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-emtest-"));
    try {
      writeFileSync(join(dir, "example.test.ts"), source);
      // A fresh test runner in the child, not a sub-runner reporting to ours.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_TEST_CONTEXT"));
      const run = spawnSync(process.execPath, ["--import", tsx, "--test", join(dir, "example.test.ts")], { encoding: "utf8", cwd: root, env });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /# pass 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "fault-injection"() {
    const emulator = JSON.stringify(pathToFileURL(join(root, "src/emulator/index.ts")).href);
    const source = `import { startGitHubEmulator } from ${emulator};\nconst gh = await startGitHubEmulator();\ntry {\n${block("fault-injection").code}` +
      "  const token = await fetch(`${gh.url}/login/oauth/access_token`, { method: \"POST\" });\n" +
      "  const user = await fetch(`${gh.url}/user`);\n" +
      "  console.log(`STATUS ${token.status} ${user.status} ${user.headers.get(\"retry-after\")}`);\n" +
      "} finally { await gh.close(); }\n";
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-faults-"));
    try {
      writeFileSync(join(dir, "faults.mts"), source);
      const run = spawnSync(process.execPath, ["--import", tsx, join(dir, "faults.mts")], { encoding: "utf8", cwd: root });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /STATUS 502 429 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

test("every code block in README.md is run by a test here or marked sample:skip with a reason", () => {
  const problems: string[] = [];
  const used = new Map<string, number>();
  for (const b of blocks()) {
    const { marker } = b;
    if (marker === undefined) problems.push(`README.md:${b.line} (${b.heading}): no <!-- sample:… --> marker`);
    else if (marker.startsWith("skip")) {
      if (!/^skip \S/.test(marker)) problems.push(`README.md:${b.line}: sample:skip needs a reason`);
    } else if (marker.startsWith("run-by ")) {
      // A block another test extracts by its heading (the GitHub client's 20-line server).
      const file = marker.slice("run-by ".length);
      if (!readFileSync(join(root, file), "utf8").includes(b.heading.replace(/^#+ /, ""))) problems.push(`README.md:${b.line}: ${file} does not extract "${b.heading}"`);
    } else if (!(marker in runners)) problems.push(`README.md:${b.line}: sample:${marker} has no runner in this test`);
    else used.set(marker, (used.get(marker) ?? 0) + 1);
  }
  for (const id of Object.keys(runners)) if (used.get(id) !== 1) problems.push(`sample:${id} marks ${used.get(id) ?? 0} blocks, not 1`);
  assert.deepEqual(problems, []);
});

for (const [id, run] of Object.entries(runners)) test(`README sample:${id} runs as written`, run);

test("the README's security headers are the ones a page is sent with", async () => {
  const paragraph = readme.slice(readme.indexOf("Security: a `Content-Security-Policy`"), readme.indexOf("Every value\non a page"));
  const csp = /\(`(default-src [^`]+)`\s+when the public URL is `http:\/\/`/.exec(paragraph)?.[1];
  assert.ok(csp, "the README quotes the CSP");
  const page = await fetch(demo.loginUrl);
  assert.equal(page.headers.get("content-security-policy"), csp);
  const quoted = [...paragraph.matchAll(/`([A-Z][\w-]+): ([^`]+)`/g)];
  assert.ok(quoted.length >= 4, "the README quotes the other headers");
  for (const [, name, value] of quoted) assert.equal(page.headers.get(name ?? ""), value, name);
});

test("in a clone, `npx gatehouse` (what the samples type) runs this project's own bin, without asking the registry", (t) => {
  if (!existsSync(join(root, "dist/cli.js")) && process.env["CI"] !== "true") return t.skip("dist/ is not built here (npm run build)");
  const run = spawnSync("npx", ["--offline", "gatehouse", "--help"], { cwd: root, encoding: "utf8", env: { ...process.env, npm_config_yes: "false" } });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^Usage: gatehouse <command>/);
  assert.match(run.stdout, /serve +run the users service/);
});

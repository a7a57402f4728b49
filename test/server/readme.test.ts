import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The README's plain-Node mount of createGatehouse, run as written (import path and port adapted). */
test("the README's plain Node server example runs and serves the API", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("<!-- section:service -->"), readme.indexOf("<!-- /section:service -->"));
  const block = /A plain Node server[^\n]*\n\n```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, "the example is in the README");
  const code = block
    .replace('from "gatehouse"', `from ${JSON.stringify(join(root, "src/index.ts"))}`)
    .replace(".listen(3000,", ".listen(0,")
    + 'server.on("listening", () => console.log(`PORT=${(server.address() as { port: number }).port}`));\n';
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-readme-"));
  writeFileSync(join(dir, "example.mts"), code);
  const child = spawn(process.execPath, ["--import", join(root, "node_modules/tsx/dist/esm/index.mjs"), join(dir, "example.mts")], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", GATEHOUSE_SECRET: randomBytes(32).toString("hex"), GITHUB_CLIENT_ID: "Ov23liReadme", GITHUB_CLIENT_SECRET: "readme-secret" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr.on("data", (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on("exit", r));
  try {
    const deadline = Date.now() + 20_000;
    while (!/PORT=\d+/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`example did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = `http://127.0.0.1:${/PORT=(\d+)/.exec(out)?.[1]}`;
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
});

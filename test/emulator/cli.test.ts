/** `gatehouse emulator` as a child process: starts, prints what a developer needs, stops on a signal. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

/** Starts the CLI, waits for the "listening" line, returns the process and its output so far. */
async function start(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", cli, "emulator", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("(Ctrl-C to stop)")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

test("gatehouse emulator prints URL, client id and secret, users; serves; SIGINT stops it with exit 0", async () => {
  const { child, output, exited } = await start([]);
  const text = output();
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
  assert.ok(url, text);
  assert.match(text, /client id:\s+Ov23liGatehouseTest01/);
  assert.match(text, /client secret:\s+gatehouse-emulator-secret/);
  assert.match(text, /octocat\s+id 583231/);
  const res = await fetch(`${url}/login/device/code`, { method: "POST", body: new URLSearchParams({ client_id: "Ov23liGatehouseTest01" }) });
  assert.equal(res.status, 200);
  child.kill("SIGINT");
  assert.equal(await exited, 0);
  assert.match(output(), /stopped/);
});

test("gatehouse emulator --config file.json seeds apps and users; SIGTERM stops it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-emulator-"));
  const config = join(dir, "emulator.json");
  writeFileSync(config, JSON.stringify({ apps: [{ clientId: "Iv1.fromconfig", clientSecret: "cfg-secret", kind: "github-app", callbackUrls: ["http://127.0.0.1:3000/cb"] }], users: [{ login: "alice", id: 42 }] }));
  const { child, output, exited } = await start(["--config", config, "--port", "0"]);
  assert.match(output(), /client id:\s+Iv1\.fromconfig/);
  assert.match(output(), /alice\s+id 42/);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
});

test("gatehouse emulator rejects a bad --port and a bad config with a one-line reason", () => {
  const port = spawnSync(process.execPath, ["--import", "tsx", cli, "emulator", "--port", "abc"], { encoding: "utf8" });
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port must be a number/);
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-emulator-"));
  const config = join(dir, "bad.json");
  writeFileSync(config, JSON.stringify({ users: [{ login: "x", id: "one" }] }));
  const bad = spawnSync(process.execPath, ["--import", "tsx", cli, "emulator", "--config", config], { encoding: "utf8" });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /options\.users\.0\.id/);
  const help = spawnSync(process.execPath, ["--import", "tsx", cli, "emulator", "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--config FILE/);
});

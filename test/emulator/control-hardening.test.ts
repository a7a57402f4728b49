/**
 * The emulator's controls under attack from a web page: DNS rebinding (a foreign Host with a
 * matching Origin) is refused, and a huge body is cut off while it streams instead of buffered.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startGitHubEmulator } from "../../src/emulator/index.js";

/** A raw HTTP request (fetch cannot set Host). */
function raw(url: string, options: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

test("DNS rebinding: a control request with a foreign Host and a matching Origin mints no token; the emulator's own hosts still work", async () => {
  const gh = await startGitHubEmulator();
  after(() => gh.close());
  const port = new URL(gh.url).port;
  const mint = (host: string) =>
    raw(`${gh.url}/_emulator/users/octocat/tokens`, {
      method: "POST",
      headers: { host, origin: `http://${host}`, "content-type": "application/json" },
      body: "{}",
    });
  const rebound = await mint(`evil.example:${port}`);
  assert.equal(rebound.status, 403);
  assert.equal((JSON.parse(rebound.body) as { code: string }).code, "foreign_host");
  assert.doesNotMatch(rebound.body, /access_token/);
  assert.equal((await mint(`127.0.0.1:${port}`)).status, 201);
  assert.equal((await mint(`localhost:${port}`)).status, 201);
  assert.equal((await mint(`localhost:${Number(port) + 1}`)).status, 403, "another port is another host");
});

test("a 300 MB body to /_emulator/ is refused while it streams: 413, and memory stays flat", async () => {
  const gh = await startGitHubEmulator();
  after(() => gh.close());
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  const before = process.memoryUsage().rss;
  let sent = 0;
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${gh.url}/_emulator/users`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (err) => (sent > 0 ? undefined : reject(err)));
    const pump = () => {
      while (sent < 300 && !req.destroyed) {
        sent += 1;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
  assert.equal(status, 413);
  const grewMiB = (process.memoryUsage().rss - before) / 2 ** 20;
  assert.ok(grewMiB < 100, `RSS grew by ${grewMiB.toFixed(0)} MiB after ${sent} MiB were offered`);
  // A declared oversized Content-Length is refused before any byte is read.
  const declared = await raw(`${gh.url}/_emulator/users`, { method: "POST", headers: { "content-type": "application/json", "content-length": String(300 * 2 ** 20) } });
  assert.equal(declared.status, 413);
});

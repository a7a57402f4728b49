import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { nodeFetch } from "../../src/server/node-fetch.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitHubOAuth, GitHubNetworkError } from "../../src/github/index.js";
import { signInWithGitHub, startStack } from "./harness.js";

interface Seen { method: string; url: string; headers: IncomingMessage["headers"]; body: string; socket: number }

async function server(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; closedSockets: () => number; server: Server }> {
  const seen: Seen[] = [];
  const sockets = new Map<object, number>();
  let closed = 0;
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString(), socket: sockets.get(req.socket) ?? -1 });
      answer(req, res);
    });
  });
  srv.on("connection", (s) => {
    sockets.set(s, sockets.size);
    s.on("close", () => closed++);
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen, closedSockets: () => closed, server: srv };
}

const stop = (s: Server) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); });

test("nodeFetch sends method, headers and body as given and answers a Response, on one kept connection", async () => {
  const s = await server((req, res) => res.writeHead(201, { "content-type": "application/json", "x-multi": ["a", "b"] }).end(JSON.stringify({ got: req.url })));
  const transport = nodeFetch();
  try {
    for (const path of ["/one", "/two"]) {
      const res = await transport.fetch(`${s.url}${path}?q=1`, { method: "POST", headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: "client_id=abc&code=xyz", redirect: "manual" });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(res.headers.get("x-multi"), "a, b");
      assert.deepEqual(await res.json(), { got: `${path}?q=1` });
    }
    assert.deepEqual(s.seen.map((r) => [r.method, r.url, r.body, r.headers["content-type"], r.headers["content-length"]]), [
      ["POST", "/one?q=1", "client_id=abc&code=xyz", "application/x-www-form-urlencoded", "22"],
      ["POST", "/two?q=1", "client_id=abc&code=xyz", "application/x-www-form-urlencoded", "22"],
    ]);
    assert.deepEqual(s.seen.map((r) => r.socket), [0, 0], "the second request reuses the first one's connection");
    transport.close();
    // The server sees the close on a later turn of the loop; a starved process may take a while.
    for (let i = 0; i < 100 && s.closedSockets() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(s.closedSockets(), 1, "close() ends the kept connection");
  } finally {
    transport.close();
    await stop(s.server);
  }
});

test("nodeFetch's Response answers as the global fetch's does: status, headers, each way of reading the body once, stream, clone", async () => {
  const body = JSON.stringify({ login: "octocat", note: "é ✓" });
  const s = await server((req, res) => {
    if (req.url === "/empty") return void res.writeHead(204, "Nothing").end();
    res.writeHead(req.url === "/missing" ? 404 : 200, "Custom Text", { "content-type": "application/json", "x-multi": ["a", "b"], "set-cookie": ["c=1", "d=2"] }).end(body);
  });
  const transport = nodeFetch();
  const pair = async (path: string) => [await transport.fetch(`${s.url}${path}`, { method: "GET", redirect: "manual" }), await fetch(`${s.url}${path}`, { redirect: "manual" })] as const;
  try {
    for (const path of ["/ok", "/missing", "/empty"]) {
      const [ours, theirs] = await pair(path);
      for (const key of ["status", "statusText", "ok", "redirected", "bodyUsed"] as const) assert.equal(ours[key], theirs[key], `${path} ${key}`);
      assert.deepEqual([...ours.headers].filter(([k]) => k !== "date"), [...theirs.headers].filter(([k]) => k !== "date"), path);
      assert.deepEqual(ours.headers.getSetCookie(), theirs.headers.getSetCookie());
      assert.equal(await ours.text(), await theirs.text(), path);
      assert.equal(ours.bodyUsed, theirs.bodyUsed, path);
      const again = async (r: Response) => { try { return await r.text(); } catch (err) { return err instanceof TypeError ? "TypeError" : err; } };
      const cloned = (r: Response) => { try { return r.clone().status; } catch (err) { return err instanceof TypeError ? "TypeError" : err; } };
      // A body is read once (and then not cloned); a 204 has none and reads as empty again.
      assert.deepEqual([await again(ours), cloned(ours)], [await again(theirs), cloned(theirs)], path);
      assert.deepEqual([await again(ours), cloned(ours)], path === "/empty" ? ["", 204] : ["TypeError", "TypeError"], path);
    }
    const readers = [(r: Response) => r.json(), async (r: Response) => [...new Uint8Array(await r.arrayBuffer())], async (r: Response) => [...await r.bytes()],
      async (r: Response) => (await r.blob()).text(), async (r: Response) => { const c = r.clone(); return [await c.text(), await r.text()]; },
      async (r: Response) => new Response(r.body).text()];
    for (const read of readers) {
      const [ours, theirs] = await pair("/ok");
      assert.deepEqual(await read(ours), await read(theirs), String(read));
      assert.equal(ours.bodyUsed, true, String(read));
      await assert.rejects(ours.text(), TypeError, String(read));
    }
    const [bad] = await pair("/ok");
    await bad.text();
    assert.equal(bad.body === null || bad.body.locked, true);
  } finally {
    transport.close();
    await stop(s.server);
  }
});

test("a kept connection is closed after sitting idle, while a slow answer in flight is not cut", async () => {
  const s = await server((req, res) => setTimeout(() => res.end("late"), req.url === "/slow" ? 300 : 0));
  const transport = nodeFetch({ idleMs: 100 });
  const get = (path: string) => transport.fetch(`${s.url}${path}`, { method: "GET", headers: {}, redirect: "manual" });
  try {
    assert.equal(await (await get("/slow")).text(), "late", "an answer three idle periods late still arrives");
    // Up to 2 s: well before the server's own keep-alive timeout (5 s), so the close is the client's.
    for (let i = 0; i < 100 && s.closedSockets() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(s.closedSockets(), 1, "the idle connection was closed by the client");
    assert.equal(await (await get("/again")).text(), "late");
    assert.deepEqual(s.seen.map((r) => r.socket), [0, 1], "the next request opens a new connection");
  } finally {
    transport.close();
    await stop(s.server);
  }
});

test("nodeFetch never follows a redirect, gives null-body statuses no body, and stops at the signal", async () => {
  const s = await server((req, res) => {
    if (req.url === "/moved") res.writeHead(307, { location: "/elsewhere" }).end("moved");
    else if (req.url === "/empty") res.writeHead(204).end();
    else setTimeout(() => res.writeHead(200).end("late"), 2_000);
  });
  const transport = nodeFetch();
  try {
    const moved = await transport.fetch(`${s.url}/moved`, { method: "POST", body: "secret=1", redirect: "manual" });
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get("location"), "/elsewhere");
    assert.deepEqual(s.seen.map((r) => r.url), ["/moved"], "the body with its secret went to one place only");
    const empty = await transport.fetch(`${s.url}/empty`, { method: "GET", redirect: "manual" });
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
    const started = Date.now();
    await assert.rejects(transport.fetch(`${s.url}/slow`, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(100) }));
    assert.ok(Date.now() - started < 1_500, "the signal ended the request");
  } finally {
    transport.close();
    await stop(s.server);
  }
});

test("the GitHub client on nodeFetch keeps its timeout and typed failures", async () => {
  const s = await server((_req, res) => setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 2_000));
  const transport = nodeFetch();
  try {
    const github = new GitHubOAuth({ clientId: "Ov23liNodeFetch", clientSecret: "s", redirectUri: "http://127.0.0.1/cb", webUrl: s.url, apiUrl: s.url,
      fetch: transport.fetch, timeoutMs: 100 });
    await assert.rejects(github.exchangeCode({ code: "c", codeVerifier: "v".repeat(43) }),
      (e) => e instanceof GitHubNetworkError && e.code === "timeout");
  } finally {
    transport.close();
    await stop(s.server);
  }
});

test("a GitHub sign-in through createGatehouse hashes its PKCE challenge with node:crypto, not Web Crypto's thread-pool digest", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-sha256-"));
  const stack = await startStack({ database: `sqlite:${join(dir, "g.db")}` });
  const digest = SubtleCrypto.prototype.digest;
  let webCryptoDigests = 0;
  SubtleCrypto.prototype.digest = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto["digest"]>) {
    webCryptoDigests++;
    return digest.apply(this, args);
  };
  try {
    const done = await signInWithGitHub(stack, stack.browser(), "alice");
    assert.equal(done.status, 302, "the emulator checked the challenge against the verifier");
    assert.equal(webCryptoDigests, 0);
  } finally {
    SubtleCrypto.prototype.digest = digest;
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a GitHub sign-in through createGatehouse makes its GitHub requests without the global fetch", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-node-fetch-"));
  const stack = await startStack({ database: `sqlite:${join(dir, "g.db")}` });
  const original = globalThis.fetch;
  const viaGlobal: string[] = [];
  // The test's browser uses the global fetch too; only GitHub's token and API paths are the service's.
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin === stack.gh.url && /^\/(login\/oauth\/access_token|user)/.test(url.pathname)) viaGlobal.push(url.pathname);
    return original(input, init);
  };
  try {
    const done = await signInWithGitHub(stack, stack.browser(), "alice");
    assert.equal(done.status, 302);
    assert.deepEqual(viaGlobal, []);
  } finally {
    globalThis.fetch = original;
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

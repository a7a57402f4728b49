import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GitHubApiError, GitHubNetworkError, GitHubOAuth, GitHubOAuthError, GitHubUsageError } from "../../src/github/index.js";
import { CLIENT_ID, CLIENT_SECRET, json, stubFetch } from "./wire-stub.js";

async function bases(options: ConstructorParameters<typeof GitHubOAuth>[0]) {
  const g = new GitHubOAuth(options);
  const { url } = await g.createAuthorizationUrl();
  return { webUrl: g.webUrl, apiUrl: g.apiUrl, authorize: url.origin + url.pathname };
}

test("github.com is the default: web https://github.com, API https://api.github.com", async () => {
  assert.deepEqual(await bases({ clientId: CLIENT_ID }), { webUrl: "https://github.com", apiUrl: "https://api.github.com", authorize: "https://github.com/login/oauth/authorize" });
});

test("GHES host: https://HOST/login/oauth/... and https://HOST/api/v3", async () => {
  assert.deepEqual(await bases({ clientId: CLIENT_ID, host: "ghe.example.com" }), { webUrl: "https://ghe.example.com", apiUrl: "https://ghe.example.com/api/v3", authorize: "https://ghe.example.com/login/oauth/authorize" });
  assert.equal(new GitHubOAuth({ clientId: CLIENT_ID, host: "ghe.example.com:8443" }).apiUrl, "https://ghe.example.com:8443/api/v3");
});

test("GHE.com host: API at https://api.SUB.ghe.com", async () => {
  assert.deepEqual(await bases({ clientId: CLIENT_ID, host: "acme.ghe.com" }), { webUrl: "https://acme.ghe.com", apiUrl: "https://api.acme.ghe.com", authorize: "https://acme.ghe.com/login/oauth/authorize" });
});

test("explicit webUrl/apiUrl win over host; webUrl alone derives the API by the host rules", async () => {
  assert.deepEqual(
    await bases({ clientId: CLIENT_ID, host: "ghe.example.com", webUrl: "http://127.0.0.1:9999/", apiUrl: "http://127.0.0.1:9999/api/v3/" }),
    { webUrl: "http://127.0.0.1:9999", apiUrl: "http://127.0.0.1:9999/api/v3", authorize: "http://127.0.0.1:9999/login/oauth/authorize" },
  );
  assert.equal(new GitHubOAuth({ clientId: CLIENT_ID, webUrl: "https://proxy.example/gh" }).apiUrl, "https://proxy.example/gh/api/v3");
  assert.equal(new GitHubOAuth({ clientId: CLIENT_ID, webUrl: "https://acme.ghe.com" }).apiUrl, "https://api.acme.ghe.com");
  assert.equal(new GitHubOAuth({ clientId: CLIENT_ID, apiUrl: "http://127.0.0.1:1/" }).webUrl, "https://github.com");
  // undefined options (e.g. unset environment variables) mean "use the default".
  assert.equal(new GitHubOAuth({ clientId: CLIENT_ID, webUrl: undefined, apiUrl: undefined, host: undefined }).apiUrl, "https://api.github.com");
});

test("bad options are GitHubUsageError invalid_option naming the option", () => {
  const cases: Array<[Parameters<typeof bases>[0], RegExp]> = [
    [{ clientId: "" }, /clientId/],
    [{ clientId: CLIENT_ID, host: "https://github.com" }, /host/],
    [{ clientId: CLIENT_ID, host: "ghe.example.com/path" }, /host/],
    [{ clientId: CLIENT_ID, webUrl: "ftp://x" }, /webUrl/],
    [{ clientId: CLIENT_ID, apiUrl: "not a url" }, /apiUrl/],
    [{ clientId: CLIENT_ID, timeoutMs: 0 }, /timeoutMs/],
    [{ clientId: CLIENT_ID, scopes: ["repo gist"] }, /scopes/],
    [{ clientId: CLIENT_ID, clientSecret: "" }, /clientSecret/],
  ];
  for (const [options, name] of cases) {
    assert.throws(() => new GitHubOAuth(options), (e: unknown) => e instanceof GitHubUsageError && e.code === "invalid_option" && name.test(e.message), String(name));
  }
});

test("every request is bounded: a hanging GitHub gives a timeout error after timeoutMs", async () => {
  const stub = stubFetch((req) => new Promise((_resolve, reject) => req.signal?.addEventListener("abort", () => reject(req.signal?.reason))));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch, timeoutMs: 50 });
  const started = Date.now();
  await assert.rejects(github.getUser("gho_x"), (e: unknown) => e instanceof GitHubNetworkError && e.code === "timeout" && e.name === "GitHubNetworkError" && !e.message.includes("gho_x"));
  assert.ok(Date.now() - started < 2000);
});

test("the timeout also covers a body that never ends", async () => {
  const stub = stubFetch((req) => new Response(new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("{"));
      req.signal?.addEventListener("abort", () => controller.error(req.signal?.reason));
    },
  }), { status: 200 }));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch, timeoutMs: 50 });
  await assert.rejects(github.getUser("gho_x"), (e: unknown) => e instanceof GitHubNetworkError && e.code === "timeout");
});

test("a connection failure is a network error with the cause kept", async () => {
  const cause = new TypeError("fetch failed");
  const stub = stubFetch(() => Promise.reject(cause));
  const github = new GitHubOAuth({ clientId: CLIENT_ID, fetch: stub.fetch });
  await assert.rejects(github.exchangeCode({ code: "secret-code", codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" }), (e: unknown) => e instanceof GitHubNetworkError && e.code === "network" && e.cause === cause && !e.message.includes("secret-code"));
});

test("the default fetch is globalThis.fetch, looked up at call time", async () => {
  const original = globalThis.fetch;
  const stub = stubFetch(() => json({ access_token: "gho_global", token_type: "bearer", scope: "" })());
  try {
    const github = new GitHubOAuth({ clientId: CLIENT_ID });
    globalThis.fetch = (input, init) => stub.fetch(String(input), init ?? {});
    assert.equal((await github.refreshToken("ghr_x")).accessToken, "gho_global");
    assert.equal(stub.calls.length, 1);
  } finally {
    globalThis.fetch = original;
  }
});

async function listen(handler: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string> }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const r = handler(req, body);
      res.writeHead(r.status, r.headers ?? {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test("redirects are never followed: a 307 from the token endpoint or the API does not replay secrets elsewhere", async () => {
  const received: string[] = [];
  const elsewhere = await listen((req, body) => {
    received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""} ${body}`);
    return { status: 200 };
  });
  const redirecting = await listen(() => ({ status: 307, headers: { location: `${elsewhere.url}/steal` } }));
  try {
    const github = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: redirecting.url, apiUrl: redirecting.url });
    await assert.rejects(github.exchangeCode({ code: "the-code", codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" }), (e: unknown) => e instanceof GitHubOAuthError && e.code === "invalid_response" && e.status === 307);
    await assert.rejects(github.checkToken("gho_secret_token"), (e: unknown) => e instanceof GitHubApiError && e.code === "unexpected_status" && e.status === 307);
    assert.deepEqual(received, []);
  } finally {
    redirecting.server.close();
    elsewhere.server.close();
  }
});

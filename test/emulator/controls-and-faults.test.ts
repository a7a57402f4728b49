/** Test controls (typed and over HTTP), the redacted request log, and fault injection. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EmulatorError, startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { CLIENT_ID, CLIENT_SECRET, api, getCode, pkcePair, tokenJson, tokenRequest } from "./helpers.js";

let gh: GitHubEmulatorHandle;
before(async () => {
  gh = await startGitHubEmulator({ autoApprove: "octocat" });
});
after(() => gh.close());

const isCode = (code: string) => (e: unknown) => e instanceof EmulatorError && e.code === code;

test("requests() records what was received with every secret redacted", async () => {
  gh.clearRequests();
  const { verifier, challenge } = pkcePair();
  const code = await getCode(gh, { code_challenge: challenge, code_challenge_method: "S256" });
  const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
  const res = await tokenRequest(gh, { code, code_verifier: verifier }, { authorization: `Basic ${basic}`, accept: "application/json" });
  const token = String(((await res.json()) as Record<string, unknown>)["access_token"]);
  await api(gh, "/user", token);
  const log = gh.requests();
  assert.deepEqual(log.map((r) => r.route), ["GET /login/oauth/authorize", "POST /login/oauth/access_token", "GET /user"]);
  const exchange = log[1];
  assert.deepEqual(exchange?.body, { code: "[REDACTED]", code_verifier: "[REDACTED]" });
  assert.equal(exchange?.headers["authorization"], "Basic [REDACTED]");
  assert.equal(log[2]?.headers["authorization"], "Bearer [REDACTED]");
  const serialized = JSON.stringify(log);
  for (const secret of [code, verifier, token, CLIENT_SECRET, basic]) assert.ok(!serialized.includes(secret), "a secret leaked into requests()");
  assert.equal(log[0]?.query["code_challenge"], challenge, "public values stay readable");
});

test("a 5xx fault answers the next N requests on a route, then the route works again", async () => {
  const token = gh.createToken("octocat").accessToken;
  gh.injectFault("GET /user", { status: 502, times: 2 });
  assert.equal((await api(gh, "/user", token)).status, 502);
  assert.equal((await api(gh, "/api/v3/user", token)).status, 502, "the same route under /api/v3");
  assert.equal((await api(gh, "/user", token)).status, 200);
  assert.deepEqual(gh.requests().at(-2)?.fault, { status: 502, times: 2 });
});

test("rate-limit faults: primary is 403 with x-ratelimit-remaining 0; secondary is 429 with retry-after and says so", async () => {
  const token = gh.createToken("octocat").accessToken;
  gh.injectFault("GET /user", { rateLimit: "primary" });
  const primary = await api(gh, "/user", token);
  assert.equal(primary.status, 403);
  assert.equal(primary.headers.get("x-ratelimit-remaining"), "0");
  assert.ok(Number(primary.headers.get("x-ratelimit-reset")) > Date.now() / 1000);
  gh.injectFault("GET /user", { rateLimit: "secondary", status: 429, retryAfter: 7 });
  const secondary = await api(gh, "/user", token);
  assert.equal(secondary.status, 429);
  assert.equal(secondary.headers.get("retry-after"), "7");
  assert.match(((await secondary.json()) as { message: string }).message, /secondary rate limit/);
});

test("a delay fault delays the real answer", async () => {
  gh.injectFault("POST /login/oauth/access_token", { delayMs: 150 });
  const started = performance.now();
  const body = await tokenJson(gh, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: await getCode(gh) });
  assert.ok(performance.now() - started >= 140);
  assert.match(String(body["access_token"]), /^gho_/);
});

test("a malformed fault cuts the body: invalid JSON for a JSON client", async () => {
  gh.injectFault("POST /login/oauth/access_token", { malformed: true });
  const res = await tokenRequest(gh, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: await getCode(gh) }, { accept: "application/json" });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(text.startsWith('{"access_token":"gho_'));
  assert.throws(() => JSON.parse(text));
});

test("injectFault validates the route and the fault", () => {
  assert.throws(() => gh.injectFault("GET /nope" as "GET /user", { status: 500 }), isCode("unknown_route"));
  assert.throws(() => gh.injectFault("GET /user", { status: 418 } as unknown as { status: 500 }), isCode("invalid_option"));
});

test("renameUser keeps the id; the old login is free for a new user with another id", async () => {
  gh.addUser({ login: "renamer", id: 7001, emails: [{ email: "r@example.com", primary: true, verified: true, visibility: "public" }] });
  const token = gh.createToken("renamer").accessToken;
  gh.renameUser("renamer", "renamed");
  const me = (await (await api(gh, "/user", token)).json()) as { login: string; id: number };
  assert.deepEqual([me.login, me.id], ["renamed", 7001]);
  gh.addUser({ login: "renamer", id: 7002 });
  assert.throws(() => gh.addUser({ login: "RENAMED", id: 7003 }), isCode("duplicate_user"));
  assert.throws(() => gh.renameUser("ghost", "x"), isCode("unknown_user"));
});

test("setEmails, setOrgMembership and setTeamMembership change what the API answers", async () => {
  gh.addUser({ login: "changer", id: 7100 });
  const token = gh.createToken("changer", { scopes: ["user", "read:org"] }).accessToken;
  gh.setEmails("changer", [{ email: "c@example.com", primary: true, verified: true, visibility: "public" }]);
  assert.equal(((await (await api(gh, "/user", token)).json()) as { email: string }).email, "c@example.com");
  gh.setOrgMembership("changer", "acme", { role: "member" });
  assert.equal((await api(gh, "/user/memberships/orgs/acme", token)).status, 200);
  gh.setOrgMembership("changer", "acme", null);
  assert.equal((await api(gh, "/user/memberships/orgs/acme", token)).status, 404);
  gh.setTeamMembership("changer", "acme", "devs", { role: "maintainer" });
  assert.equal((await api(gh, "/orgs/acme/teams/devs/memberships/changer", token)).status, 200);
  assert.throws(() => gh.setEmails("changer", [{ email: "not-an-email", primary: true, verified: true, visibility: null }]), isCode("invalid_option"));
});

test("revokeTokens kills every token of the user", async () => {
  const token = gh.createToken("monalisa").accessToken;
  assert.equal((await api(gh, "/user", token)).status, 200);
  gh.revokeTokens("monalisa");
  assert.equal((await api(gh, "/user", token)).status, 401);
});

test("the controls over HTTP under /_emulator/: JSON in and out, problem+json errors", async () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${gh.url}/_emulator${path}`, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  assert.equal((await call("POST", "/users", { login: "polyglot", id: 8001, emails: [{ email: "p@example.com", primary: true, verified: true, visibility: "public" }] })).status, 201);
  const created = await call("POST", "/users/polyglot/tokens", { scopes: ["read:org"] });
  assert.equal(created.status, 201);
  const token = ((await created.json()) as { access_token: string }).access_token;
  assert.equal((await call("PUT", "/users/polyglot/orgs/acme", { role: "admin" })).status, 204);
  assert.equal(((await (await api(gh, "/user/memberships/orgs/acme", token)).json()) as { role: string }).role, "admin");

  assert.equal((await call("POST", "/faults", { route: "GET /user", fault: { status: 503 } })).status, 204);
  assert.equal((await api(gh, "/user", token)).status, 503);

  const device = await fetch(`${gh.url}/login/device/code`, { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ client_id: CLIENT_ID }) });
  const { user_code } = (await device.json()) as { user_code: string };
  assert.equal((await call("POST", `/devices/${user_code}/approve`, { login: "polyglot" })).status, 204);

  const dup = await call("POST", "/users", { login: "polyglot", id: 8002 });
  assert.equal(dup.status, 409);
  assert.equal(dup.headers.get("content-type"), "application/problem+json");
  assert.equal(((await dup.json()) as { code: string }).code, "duplicate_user");
  const bad = await call("POST", "/faults", { route: "GET /user", fault: { status: 404 } });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { detail: string }).detail, /^fault/);

  const log = (await (await call("GET", "/requests")).json()) as Array<{ path: string }>;
  assert.ok(log.length > 0 && log.every((r) => !r.path.startsWith("/_emulator")), "control calls are not recorded");
  const apps = (await (await call("GET", "/apps")).json()) as Array<Record<string, unknown>>;
  assert.equal(apps[0]?.["clientId"], CLIENT_ID);
  assert.ok(!("clientSecret" in (apps[0] ?? {})), "no secret in control responses");
});

test("bad options are typed errors naming the field", async () => {
  await assert.rejects(startGitHubEmulator({ users: [{ login: "-bad-", id: 1 }] }), (e: unknown) => isCode("invalid_option")(e) && /users\.0\.login/.test((e as Error).message));
  await assert.rejects(startGitHubEmulator({ autoApprove: "nobody" }), isCode("invalid_option"));
});

test("the controls refuse browser requests from other sites (a web page cannot mint users, faults or approvals by a form post)", async () => {
  const post = (headers: Record<string, string>, login: string) =>
    fetch(`${gh.url}/_emulator/users`, { method: "POST", headers: { "content-type": "text/plain", ...headers }, body: JSON.stringify({ login, id: 9100 + login.length }) });
  for (const [headers, login] of [[{ origin: "https://evil.example" }, "drive-by-a"], [{ "sec-fetch-site": "cross-site" }, "drive-by-bb"], [{ "sec-fetch-site": "same-site" }, "drive-by-ccc"]] as const) {
    const res = await post(headers, login);
    assert.equal(res.status, 403, JSON.stringify(headers));
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.equal(((await res.json()) as { code: string }).code, "cross_site_request");
    assert.ok(!gh.users().some((u) => u.login === login), "nothing was created");
  }
  // The emulator's own origin (a page it serves), and tools that send no Origin, are fine.
  assert.equal((await post({ origin: gh.url, "sec-fetch-site": "same-origin" }, "same-origin-ok")).status, 201);
});

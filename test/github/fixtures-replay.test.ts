/**
 * Recorded api.github.com traffic (`@octokit/fixtures`) replayed through `GitHubOAuth`, and compared
 * with what the emulator sends for the same kind of call: the organisation object, the pagination
 * `Link` header, the error bodies, and the headers a real response carries.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { GitHubApiError, GitHubOAuth } from "../../src/github/index.js";
import { createGitHubEmulator, DEFAULT_APP } from "../../src/emulator/index.js";
import { stubFetch } from "./wire-stub.js";

const require = createRequire(import.meta.url);

interface Recording {
  method: string;
  path: string;
  status: number;
  response: unknown;
  headers: Record<string, string>;
}

function scenario(name: string): Recording[] {
  const file = require.resolve(`@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`);
  return JSON.parse(readFileSync(file, "utf8")) as Recording[];
}

const API = "https://api.github.com";
const replay = (r: Recording, headers: Record<string, string> = r.headers) =>
  new Response(JSON.stringify(r.response), { status: r.status, headers: Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "content-length")) });
const client = (fetch: ReturnType<typeof stubFetch>["fetch"]) =>
  new GitHubOAuth({ clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret, fetch });

const [organization] = scenario("get-organization");
const pages = scenario("paginate-issues");

/** The rels of a Link header, in order. */
const rels = (link: string | null) => [...(link ?? "").matchAll(/rel="(\w+)"/g)].map((m) => m[1]);

test("a real organisation object reads through listOrgs; every field the emulator sends is in it, with the same JSON type", async () => {
  assert.ok(organization);
  const { fetch } = stubFetch(() => replay({ ...organization, response: [organization.response] }));
  const [org] = await client(fetch).listOrgs("gho_recorded");
  const real = organization.response as Record<string, unknown>;
  assert.deepEqual(org, { id: real["id"], login: real["login"], nodeId: real["node_id"], avatarUrl: real["avatar_url"], description: real["description"] ?? null });

  const em = createGitHubEmulator();
  const res = await em.fetch(new Request("http://gh.test/user/orgs", { headers: { authorization: `Bearer ${em.createToken("octocat", { scopes: ["read:org"] }).accessToken}`, "user-agent": "t" } }));
  const [emulated] = (await res.json()) as Array<Record<string, unknown>>;
  assert.ok(emulated);
  for (const [key, value] of Object.entries(emulated)) {
    assert.ok(key in real, `the emulator sends ${key}, GitHub's org object has no such field`);
    if (value !== null && real[key] !== null) assert.equal(typeof value, typeof real[key], key);
  }
});

test("recorded pagination: the client follows GitHub's Link header through all five pages", async () => {
  assert.equal(pages.length, 5);
  const { fetch, calls } = stubFetch((req) => {
    const page = Number(req.url.searchParams.get("page") ?? "1");
    const recorded = pages[page - 1];
    assert.ok(recorded, `page ${page}`);
    // The recorded Link points at the issues list; the client asked for /user/orgs on the same host.
    const link = (recorded.headers["link"] ?? "").replaceAll("/repositories/1000/issues", "/user/orgs");
    return replay({ ...recorded, response: [{ ...(organization?.response as object), id: page }] }, { ...recorded.headers, link });
  });
  const orgs = await client(fetch).listOrgs("gho_recorded");
  assert.deepEqual(orgs.map((o) => o.id), [1, 2, 3, 4, 5]);
  assert.equal(calls.length, 5);
  assert.ok(calls.every((c) => c.url.origin === API && c.url.pathname === "/user/orgs"));
});

test("the emulator's Link header has GitHub's recorded form on the first, middle and last page", async () => {
  const em = createGitHubEmulator();
  em.addUser({ id: 4242, login: "many", emails: [{ email: "m@example.com", primary: true, verified: true, visibility: "public" }], orgs: Array.from({ length: 15 }, (_, i) => ({ login: `o${i}` })) });
  const token = em.createToken("many", { scopes: ["read:org"] }).accessToken;
  for (const [i, recorded] of pages.entries()) {
    const res = await em.fetch(new Request(`http://gh.test/user/orgs?per_page=3&page=${i + 1}`, { headers: { authorization: `Bearer ${token}`, "user-agent": "t" } }));
    const link = res.headers.get("link");
    assert.deepEqual(rels(link), rels(recorded.headers["link"] ?? null), `page ${i + 1}`);
    const shape = (l: string | null) => (l ?? "").replace(/<[^>]*[?&]page=(\d+)[^>]*>/g, "<$1>");
    assert.equal(shape(link), shape(recorded.headers["link"] ?? null), `page ${i + 1}`);
  }
});

test("recorded 422: the client reads validation_failed with GitHub's message; the emulator's 422 has the same body fields", async () => {
  const [recorded] = scenario("errors");
  assert.ok(recorded && recorded.status === 422);
  const { fetch } = stubFetch(() => replay(recorded));
  await assert.rejects(client(fetch).checkToken("gho_recorded"), (e: unknown) => e instanceof GitHubApiError && e.code === "validation_failed" && e.githubMessage === "Validation Failed");

  const em = createGitHubEmulator();
  const basic = Buffer.from(`${DEFAULT_APP.clientId}:${DEFAULT_APP.clientSecret}`).toString("base64");
  const res = await em.fetch(new Request(`http://gh.test/applications/${DEFAULT_APP.clientId}/token`, { method: "POST", headers: { authorization: `Basic ${basic}`, "user-agent": "t" }, body: "{}" }));
  assert.equal(res.status, 422);
  const body = (await res.json()) as Record<string, unknown>;
  for (const key of ["message", "documentation_url"]) assert.equal(typeof body[key], typeof (recorded.response as Record<string, unknown>)[key], key);
});

test("every header a recorded authenticated api.github.com answer carries for clients, the emulator sends too", async () => {
  assert.ok(organization);
  // Infrastructure headers (HSTS, CSP, connection, server) are the deployment's, not the API's.
  const api = Object.keys(organization.headers).filter((h) => /^(x-|etag$|cache-control$|vary$|access-control-|content-type$|link$)/.test(h) && !["x-frame-options", "x-xss-protection", "x-content-type-options", "x-runtime-rack"].includes(h));
  const em = createGitHubEmulator();
  const res = await em.fetch(new Request("http://gh.test/user/orgs", { headers: { authorization: `Bearer ${em.createToken("octocat", { scopes: ["read:org"] }).accessToken}`, "user-agent": "t" } }));
  assert.ok(api.includes("x-github-request-id") && api.includes("x-oauth-scopes") && api.includes("etag"), api.join());
  const missing = api.filter((h) => h !== "link" && !res.headers.has(h));
  assert.deepEqual(missing, []);
  assert.equal(res.headers.get("access-control-expose-headers"), organization.headers["access-control-expose-headers"]);
});

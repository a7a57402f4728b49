/**
 * Every REST endpoint the emulator serves, held to GitHub's published REST description
 * (`@octokit/openapi`, api.github.com): each status the emulator can answer is called, and status,
 * body and declared headers must be what that operation's description allows for that status.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createGitHubEmulator, DEFAULT_APP } from "../../src/emulator/index.js";
import type { GitHubEmulator } from "../../src/emulator/index.js";
import { isApiRoute, ROUTES } from "../../src/emulator/routes.js";
import { RestDescription } from "./openapi.js";

/**
 * Not in the REST description, so out of this test's scope: the OAuth web and device endpoints
 * (github.com, not api.github.com; test/emulator/token-endpoint.test.ts, device-flow.test.ts and
 * octokit-conformance.test.ts hold them to GitHub's docs and Octokit), and — not listed in ROUTES
 * at all — the `/_emulator/*` controls, the HTML pages (`/{login}`, consent, device entry),
 * avatars and favicons.
 */
const NOT_REST = new Set(["GET /login/oauth/authorize", "POST /login/oauth/access_token", "POST /login/device/code", "GET /login/device"]);

/**
 * Errors GitHub documents for every endpoint, outside any one operation's list; the description
 * repeats them only on some operations. Their body must still be GitHub's `basic-error`.
 */
const GITHUB_WIDE: Record<string, string> = {
  "401": "bad or missing credentials (docs: rest/overview/troubleshooting-the-rest-api, 'Bad credentials')",
  "403": "primary rate limit exceeded or missing User-Agent (docs: rate-limits-for-the-rest-api; user-agent-required)",
  "400": "unsupported X-GitHub-Api-Version, or a body that is not JSON (docs: about-the-rest-api/api-versions; 'Problems parsing JSON')",
};

/**
 * Statuses the emulator sends that the description does not list for that operation, each with why
 * it is kept (docs/emulator-coverage.md repeats them).
 */
const UNDECLARED: Record<string, string> = {
  "PATCH /applications/{client_id}/token 404": "an unknown or other app's token; the description lists only 200/422, but 404 is what check-token documents for the same case",
  "DELETE /applications/{client_id}/token 404": "as for PATCH: the token is not this app's",
  "DELETE /applications/{client_id}/grant 404": "as for PATCH: the token is not this app's",
};

/** api.github.com at the root, and a GitHub Enterprise Server release under `/api/v3`. */
const DESCRIPTIONS = [
  { description: new RestDescription("api.github.com"), prefix: "" },
  { description: new RestDescription("ghes-3.19"), prefix: "/api/v3" },
];
const DOTCOM = DESCRIPTIONS[0]!.description;
const ua = { "user-agent": "gatehouse-conformance" };
const basic = `Basic ${Buffer.from(`${DEFAULT_APP.clientId}:${DEFAULT_APP.clientSecret}`).toString("base64")}`;

interface Scenario {
  route: string;
  status: number;
  what: string;
  /** `at` is the API's path prefix (`""`, or `/api/v3` for GHES). */
  request: (em: GitHubEmulator, at: string) => Request | Promise<Request>;
}

const get = (path: string, token: string | null, headers: Record<string, string> = {}) =>
  new Request(`http://gh.test${path}`, { headers: { ...ua, accept: "application/vnd.github+json", ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers } });
const tokenOf = (em: GitHubEmulator, login: string, scopes: string[]) => em.createToken(login, { scopes }).accessToken;
const appCall = (method: string, path: string, body: string, auth = basic) =>
  new Request(`http://gh.test${path}`, { method, headers: { ...ua, authorization: auth, "content-type": "application/json" }, body });
const tokenBody = (token: string) => JSON.stringify({ access_token: token });

async function etagOf(em: GitHubEmulator, path: string, token: string): Promise<string> {
  const res = await em.fetch(get(path, token));
  const etag = res.headers.get("etag");
  assert.ok(etag, `${path} sends an ETag`);
  return etag;
}

/** GET routes: success, conditional, and the errors they can answer. */
function userScenarios(route: string, path: string, scopes: string[], denied: number | null): Scenario[] {
  const list: Scenario[] = [
    { route, status: 200, what: "success", request: (em, at) => get(at + path, tokenOf(em, "octocat", scopes)) },
    { route, status: 401, what: "bad token", request: (_em, at) => get(at + path, "gho_bad") },
    { route, status: 401, what: "no token", request: (_em, at) => get(at + path, null) },
    { route, status: 403, what: "no User-Agent", request: (em, at) => new Request(`http://gh.test${at}${path}`, { headers: { authorization: `Bearer ${tokenOf(em, "octocat", scopes)}` } }) },
    { route, status: 400, what: "unsupported API version", request: (em, at) => get(at + path, tokenOf(em, "octocat", scopes), { "x-github-api-version": "1999-01-01" }) },
  ];
  if (denied !== null) list.push({ route, status: denied, what: "token without the needed scope", request: (em, at) => get(at + path, tokenOf(em, "octocat", [])) });
  return list;
}

const SCENARIOS: Scenario[] = [
  ...userScenarios("GET /user", "/user", [], null),
  { route: "GET /user", status: 200, what: "private view (read:user)", request: (em, at) => get(at + "/user", tokenOf(em, "octocat", ["read:user"])) },
  { route: "GET /user", status: 200, what: "private view (user), no public email", request: (em, at) => get(at + "/user", tokenOf(em, "monalisa", ["user"])) },
  {
    route: "GET /user", status: 304, what: "If-None-Match", request: async (em, at) => {
      const t = tokenOf(em, "octocat", []);
      return get(at + "/user", t, { "if-none-match": await etagOf(em, at + "/user", t) });
    },
  },
  ...userScenarios("GET /user/emails", "/user/emails", ["user:email"], 404),
  { route: "GET /user/emails", status: 200, what: "a null visibility, second page", request: (em, at) => get(at + "/user/emails?per_page=1&page=2", tokenOf(em, "monalisa", ["user"])) },
  {
    route: "GET /user/emails", status: 304, what: "If-None-Match", request: async (em, at) => {
      const t = tokenOf(em, "octocat", ["user:email"]);
      return get(at + "/user/emails", t, { "if-none-match": await etagOf(em, at + "/user/emails", t) });
    },
  },
  ...userScenarios("GET /user/orgs", "/user/orgs", ["read:org"], 403),
  {
    route: "GET /user/orgs", status: 304, what: "If-None-Match", request: async (em, at) => {
      const t = tokenOf(em, "octocat", ["read:org"]);
      return get(at + "/user/orgs", t, { "if-none-match": await etagOf(em, at + "/user/orgs", t) });
    },
  },
  ...userScenarios("GET /user/memberships/orgs/{org}", "/user/memberships/orgs/octo-org", ["read:org"], 403),
  { route: "GET /user/memberships/orgs/{org}", status: 200, what: "pending", request: (em, at) => get(at + "/user/memberships/orgs/octo-org", tokenOf(em, "hubot", ["user"])) },
  { route: "GET /user/memberships/orgs/{org}", status: 404, what: "not a member", request: (em, at) => get(at + "/user/memberships/orgs/nowhere", tokenOf(em, "octocat", ["read:org"])) },
  ...userScenarios("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", "/orgs/octo-org/teams/owners/memberships/octocat", ["read:org"], 404),
  { route: "GET /orgs/{org}/teams/{team_slug}/memberships/{username}", status: 404, what: "not a member", request: (em, at) => get(at + "/orgs/octo-org/teams/owners/memberships/monalisa", tokenOf(em, "octocat", ["read:org"])) },
];

for (const [method, route] of [["POST", "POST /applications/{client_id}/token"], ["PATCH", "PATCH /applications/{client_id}/token"], ["DELETE", "DELETE /applications/{client_id}/token"], ["DELETE", "DELETE /applications/{client_id}/grant"]] as const) {
  const suffix = route.endsWith("grant") ? "grant" : "token";
  const path = `/applications/${DEFAULT_APP.clientId}/${suffix}`;
  const ok = method === "DELETE" ? 204 : 200;
  SCENARIOS.push(
    { route, status: ok, what: "success", request: (em, at) => appCall(method, at + path, tokenBody(tokenOf(em, "octocat", ["read:user"]))) },
    { route, status: ok, what: "expiring token (expires_at set)", request: (em, at) => appCall(method, at + path, tokenBody(tokenOf(em, "octocat", ["offline_access"]))) },
    { route, status: 404, what: "unknown token", request: (_em, at) => appCall(method, at + path, tokenBody("gho_unknown")) },
    { route, status: 422, what: "access_token missing", request: (_em, at) => appCall(method, at + path, "{}") },
    { route, status: 401, what: "bad client secret", request: (em, at) => appCall(method, at + path, tokenBody(tokenOf(em, "octocat", [])), `Basic ${Buffer.from(`${DEFAULT_APP.clientId}:wrong`).toString("base64")}`) },
    { route, status: 400, what: "body not JSON", request: (_em, at) => appCall(method, at + path, "{") },
  );
}

/** Checks one answer against the description; returns the failures, empty when it conforms. */
async function conformance(description: RestDescription, s: Scenario, res: Response): Promise<string[]> {
  const [method = "", path = ""] = s.route.split(" ");
  const text = await res.text();
  const described = description.response(method, path, res.status);
  const basicError = description.component("basic-error");
  const problems: string[] = [];
  if (!described) {
    const why = UNDECLARED[`${s.route} ${res.status}`] ?? GITHUB_WIDE[String(res.status)];
    if (why === undefined) return [`status ${res.status} is not in the description for ${s.route}`];
    if (!basicError(JSON.parse(text))) problems.push(`body is not basic-error: ${JSON.stringify(basicError.errors)}`);
    return problems;
  }
  if (described.body === null) {
    if (res.status === 204 || res.status === 304) {
      if (text !== "") problems.push(`${res.status} with a body`);
    } else if (!basicError(JSON.parse(text))) problems.push(`error body is not basic-error: ${JSON.stringify(basicError.errors)}`);
  } else {
    if (!/^application\/json/.test(res.headers.get("content-type") ?? "")) problems.push("content-type is not JSON");
    if (!described.body(JSON.parse(text))) problems.push(`body: ${JSON.stringify(described.body.errors)}`);
  }
  for (const [name, validate] of described.headers) {
    const value = res.headers.get(name);
    if (value !== null && !validate(value)) problems.push(`header ${name}: ${JSON.stringify(validate.errors)}`);
  }
  return problems;
}

test("every route the emulator serves is in the REST description, or listed here as out of scope", () => {
  for (const route of ROUTES) {
    if (NOT_REST.has(route)) {
      assert.equal(isApiRoute(route), false, `${route} is an api.github.com route; it belongs in the REST test`);
      continue;
    }
    const [method = "", path = ""] = route.split(" ");
    for (const { description } of DESCRIPTIONS) assert.ok(description.operation(method, path), `${route} is not in ${description.name}'s REST description`);
    const statuses = new Set(SCENARIOS.filter((s) => s.route === route).map((s) => s.status));
    assert.ok([...statuses].some((s) => s < 300), `${route} has no success scenario`);
  }
});

for (const { description, prefix } of DESCRIPTIONS) {
  for (const s of SCENARIOS) {
    test(`${description.name}: ${s.route} → ${s.status} (${s.what}) conforms to the description`, async () => {
      const em = createGitHubEmulator();
      const res = await em.fetch(await s.request(em, prefix));
      assert.equal(res.status, s.status);
      assert.deepEqual(await conformance(description, s, res), []);
    });
  }
}

test("primary rate limit (403) conforms: basic-error with the x-ratelimit headers", async () => {
  const em = createGitHubEmulator();
  let res: Response | undefined;
  for (let i = 0; i < 61; i++) res = await em.fetch(get("/user", null));
  assert.equal(res?.status, 403);
  assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
  assert.deepEqual(await conformance(DOTCOM, { route: "GET /user", status: 403, what: "rate limit", request: () => get("/user", null) }, res), []);
});

test("the checker fails what the description does not allow (a body missing a required field, an undeclared status)", async () => {
  const s: Scenario = { route: "GET /user/orgs", status: 200, what: "", request: () => get("/", null) };
  assert.notDeepEqual(await conformance(DOTCOM, s, Response.json([{ login: "x", id: 1 }], { status: 200 })), []);
  assert.notDeepEqual(await conformance(DOTCOM, s, Response.json({ message: "x" }, { status: 418 })), []);
  assert.notDeepEqual(await conformance(DOTCOM, { ...s, route: "GET /user" }, Response.json({ login: "x", id: 1, user_view_type: "public" })), []);
});

test("docs/emulator-coverage.md lists every route the emulator serves", () => {
  const table = readFileSync(new URL("../../docs/emulator-coverage.md", import.meta.url), "utf8");
  for (const route of ROUTES) assert.ok(table.includes(`\`${route}\``), `docs/emulator-coverage.md does not list ${route}`);
  for (const key of Object.keys(UNDECLARED)) assert.ok(table.includes(key.replace(/ (\d{3})$/, "` → $1").replace(/^/, "`")) || table.includes(key), `docs/emulator-coverage.md does not explain ${key}`);
});

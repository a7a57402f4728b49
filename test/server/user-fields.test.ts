import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { csrfOf } from "../pages/harness.js";
import { startStack } from "./harness.js";
import type { Browser, Stack } from "./harness.js";
import { loadConfig, ConfigError } from "../../src/config.js";
import type { UserFieldDefinition } from "../../src/users/index.js";

type Json = Record<string, unknown>;

const FIELDS: UserFieldDefinition[] = [
  { name: "projects", type: "string[]", default: [], setBy: "self" },
  { name: "apps", type: "string[]", setBy: "self" },
  { name: "nickname", type: "string", setBy: "self" },
  { name: "score", type: "number", default: 0, setBy: "admin" },
  { name: "beta", type: "boolean", default: false, setBy: "admin" },
  { name: "prefs", type: "json", default: { tabs: 2 }, setBy: "self" },
];

forEachDatabase("app-defined user fields", (db) => {
  let stack: Stack;
  let admin: Browser;
  let user: Browser;
  before(async () => {
    stack = await startStack({ database: await db.fresh(), config: { userFields: FIELDS } });
    await stack.gatehouse.users.create({ username: "root", role: "admin", password: "root-password-1" });
    await stack.gatehouse.users.create({ username: "ann", password: "ann-password-1" });
    admin = stack.browser();
    user = stack.browser();
    assert.equal((await admin.fetch("/api/users/login", { method: "POST", json: { username: "root", password: "root-password-1" } })).status, 200);
    assert.equal((await user.fetch("/api/users/login", { method: "POST", json: { username: "ann", password: "ann-password-1" } })).status, 200);
  });
  after(async () => { await stack.close(); });

  async function fieldsOf(b: Browser): Promise<Json> {
    const res = await b.fetch("/api/users/me");
    assert.equal(res.status, 200);
    return ((await res.json()) as { user: { fields: Json } }).user.fields;
  }

  test("a new user reads every declared field with its default (null without one)", async () => {
    assert.deepEqual(await fieldsOf(user), { projects: [], apps: null, nickname: null, score: 0, beta: false, prefs: { tabs: 2 } });
  });

  test("PUT /api/users sets self fields; they round-trip through the database and show in sign-in responses", async () => {
    const put = await user.fetch("/api/users", { method: "PUT", json: { fields: { projects: ["a", "b"], nickname: "Annie", prefs: { tabs: 4, dark: [true] } } } });
    assert.equal(put.status, 200);
    assert.deepEqual(((await put.json()) as { user: { fields: Json } }).user.fields["projects"], ["a", "b"]);
    assert.deepEqual(await fieldsOf(user), { projects: ["a", "b"], apps: null, nickname: "Annie", score: 0, beta: false, prefs: { tabs: 4, dark: [true] } });
    const again = stack.browser();
    const login = await again.fetch("/api/users/login", { method: "POST", json: { username: "ann", password: "ann-password-1" } });
    assert.deepEqual(((await login.json()) as { user: { fields: Json } }).user.fields["nickname"], "Annie");
    // null clears a field back to its default; other fields stay.
    assert.equal((await user.fetch("/api/users", { method: "PUT", json: { fields: { projects: null } } })).status, 200);
    const after = await fieldsOf(user);
    assert.deepEqual(after["projects"], []);
    assert.equal(after["nickname"], "Annie");
  });

  test("bad values and unknown fields are refused with the field named; nothing is stored", async () => {
    const cases: [Json, string][] = [
      [{ projects: "a" }, "fields.projects"],
      [{ projects: ["a", 1] }, "fields.projects"],
      [{ nickname: 5 }, "fields.nickname"],
      [{ nope: 1 }, "fields.nope"],
    ];
    for (const [fields, name] of cases) {
      const res = await user.fetch("/api/users", { method: "PUT", json: { fields } });
      assert.equal(res.status, 400, JSON.stringify(fields));
      const body = (await res.json()) as Json;
      assert.equal(body["field"], name);
    }
    const admBad = await admin.fetch("/api/users/ann", { method: "PATCH", json: { fields: { score: "high" } } });
    assert.equal(admBad.status, 400);
    assert.equal(((await admBad.json()) as Json)["field"], "fields.score");
    assert.equal((await fieldsOf(user))["score"], 0);
  });

  test("a user cannot set an admin field (403 naming it); an admin sets any field with PATCH", async () => {
    const res = await user.fetch("/api/users", { method: "PUT", json: { fields: { nickname: "sneaky", score: 99 } } });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as Json)["field"], "fields.score");
    const fields = await fieldsOf(user);
    assert.equal(fields["score"], 0);
    assert.notEqual(fields["nickname"], "sneaky", "a refused request changes nothing");

    const patch = await admin.fetch("/api/users/ann", { method: "PATCH", json: { fields: { score: 7, beta: true, apps: ["x"] } } });
    assert.equal(patch.status, 200);
    assert.deepEqual(await fieldsOf(user), { ...fields, score: 7, beta: true, apps: ["x"] });
  });

  test("the account page shows self fields (escaped, with the CSRF token) and saves them; admin fields are not offered", async () => {
    assert.equal((await user.fetch("/api/users", { method: "PUT", json: { fields: { nickname: "<b>x</b>" } } })).status, 200);
    const page = await (await user.fetch("/account")).text();
    assert.match(page, /name="field_nickname"[^>]*value="&lt;b&gt;x&lt;\/b&gt;"/);
    assert.doesNotMatch(page, /name="field_score"/);
    const form = new URLSearchParams({ csrf_token: csrfOf(page), name: "", email: "", avatar_url: "", theme: "system", field_nickname: "Plain", field_projects: "p1\np2", field_apps: "", field_prefs: '{"tabs":8}' });
    const res = await user.fetch("/account/profile", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(res.status, 303);
    const fields = await fieldsOf(user);
    assert.equal(fields["nickname"], "Plain");
    assert.deepEqual(fields["projects"], ["p1", "p2"]);
    assert.deepEqual(fields["prefs"], { tabs: 8 });

    // JSON that does not parse: the page is shown again with the typed text and the field named; nothing saved.
    const page2 = await (await user.fetch("/account")).text();
    const bad = new URLSearchParams({ csrf_token: csrfOf(page2), name: "", email: "", avatar_url: "", theme: "system", field_nickname: "Other", field_prefs: "{oops" });
    const refused = await user.fetch("/account/profile", { method: "POST", body: bad, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(refused.status, 400);
    const text = await refused.text();
    assert.match(text, /fields\.prefs must be valid JSON/i);
    assert.match(text, />\{oops<\/textarea>/);
    assert.equal((await fieldsOf(user))["nickname"], "Plain");
    // Without a CSRF token the form is refused.
    const noCsrf = new URLSearchParams({ name: "", email: "", avatar_url: "", theme: "system", field_nickname: "Evil" });
    assert.equal((await user.fetch("/account/profile", { method: "POST", body: noCsrf, headers: { "content-type": "application/x-www-form-urlencoded" } })).status, 403);
    assert.equal((await fieldsOf(user))["nickname"], "Plain");
  });
});

test("GATEHOUSE_USER_FIELDS is checked at start; the error names the variable and the entry", () => {
  const base = { GATEHOUSE_PORT: "0" };
  const ok = loadConfig({ ...base, GATEHOUSE_USER_FIELDS: '[{"name":"projects","type":"string[]","default":[],"set_by":"self"}]' });
  assert.deepEqual(ok.userFields, [{ name: "projects", type: "string[]", default: [], setBy: "self" }]);
  for (const [raw, pattern] of [
    ["not json", /JSON array/],
    ['{"name":"x"}', /JSON array/],
    ['[{"name":"projects","type":"list","set_by":"self"}]', /entry 0 \("projects"\): type must be/],
    ['[{"name":"a","type":"string","set_by":"self"},{"name":"b","type":"number","default":"x","set_by":"self"}]', /entry 1 \("b"\): the default/],
    ['[{"name":"a","type":"string","set_by":"everyone"}]', /set_by must be/],
    ['[{"name":"a","type":"string","set_by":"self"},{"name":"a","type":"string","set_by":"self"}]', /declared twice/],
  ] as const) {
    assert.throws(() => loadConfig({ ...base, GATEHOUSE_USER_FIELDS: raw }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /GATEHOUSE_USER_FIELDS/);
      assert.match(err.message, pattern);
      return true;
    });
  }
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createGatehouse, createLogger } from "../../src/index.js";
import type { Gatehouse } from "../../src/index.js";
import { TEST_SCRYPT } from "./harness.js";

// Behind HTTPS (a TLS-terminating proxy in front): the public URL decides cookie flags and the one allowed Origin.
const PUBLIC = "https://auth.example.test";
let gatehouse: Gatehouse;
let cookie = "";

function req(path: string, init: RequestInit = {}): Promise<Response> {
  return gatehouse.fetch(new Request(`${PUBLIC}${path}`, init), { clientAddress: "192.0.2.1" });
}

before(async () => {
  gatehouse = await createGatehouse({
    publicUrl: PUBLIC, database: "sqlite::memory:", secret: randomBytes(32), passwordParams: TEST_SCRYPT,
    github: { clientId: "Ov23liOriginTest", clientSecret: "unused", webUrl: "http://127.0.0.1:9", apiUrl: "http://127.0.0.1:9" },
    logger: createLogger({ level: "silent" }),
  });
  await gatehouse.users.create({ username: "root", role: "admin", password: "root-password-1" });
  const res = await req("/api/users/login", {
    method: "POST", headers: { "content-type": "application/json", origin: PUBLIC }, body: JSON.stringify({ username: "root", password: "root-password-1" }),
  });
  assert.equal(res.status, 200);
  const set = res.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session=")) ?? "";
  cookie = set.split(";")[0] ?? "";
});
after(async () => { await gatehouse.close(); });

test("behind https the session and OAuth-binding cookies are Secure, HttpOnly and SameSite=Lax", async () => {
  const login = await req("/api/users/login", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "root", password: "root-password-1" }),
  });
  const session = login.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session=")) ?? "";
  const start = await req("/auth/github");
  assert.equal(start.status, 302);
  const binding = start.headers.getSetCookie().find((c) => c.startsWith("gatehouse_oauth=")) ?? "";
  for (const c of [session, binding]) {
    assert.match(c, /;\s*Secure/i, c.split("=")[0]);
    assert.match(c, /;\s*HttpOnly/i);
    assert.match(c, /;\s*SameSite=Lax/i);
  }
});

test("a cookie request from anything but the exact public origin is refused, and changes nothing", async () => {
  for (const origin of ["null", "http://auth.example.test", "https://auth.example.test:8443", "https://evil.auth.example.test", "https://auth.example.test.evil.example"]) {
    const res = await req("/api/users", {
      method: "POST", headers: { cookie, origin, "content-type": "application/json" }, body: JSON.stringify({ username: "csrf-made" }),
    });
    assert.equal(res.status, 403, origin);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.equal(((await res.json()) as { code: string }).code, "origin_mismatch");
  }
  // A cross-site request without Origin but with Fetch Metadata saying so is refused too.
  const crossSite = await req("/api/users", {
    method: "POST", headers: { cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" }, body: JSON.stringify({ username: "csrf-made" }),
  });
  assert.equal(crossSite.status, 403);
  await assert.rejects(gatehouse.users.getByUsername("csrf-made"));
  const ok = await req("/api/users", {
    method: "POST", headers: { cookie, origin: PUBLIC, "content-type": "application/json" }, body: JSON.stringify({ username: "made-here" }),
  });
  assert.equal(ok.status, 201);
});

test("an opaque Origin (null: sandboxed frame, data: URL) is refused even without cookies (no login CSRF)", async () => {
  const res = await req("/api/users/login", {
    method: "POST", headers: { origin: "null", "content-type": "application/json" }, body: JSON.stringify({ username: "root", password: "root-password-1" }),
  });
  assert.equal(res.status, 403);
  assert.equal(res.headers.getSetCookie().some((c) => c.startsWith("gatehouse_session=")), false);
});

test("the session cookie lives exactly as long as the session: 30 days by default, the configured maxAgeMs otherwise", async () => {
  const maxAge = async (sessions?: { maxAgeMs: number }) => {
    const g = await createGatehouse({
      publicUrl: PUBLIC, database: "sqlite::memory:", secret: randomBytes(32), passwordParams: TEST_SCRYPT,
      github: { clientId: "Ov23liOriginTest", clientSecret: "unused", webUrl: "http://127.0.0.1:9", apiUrl: "http://127.0.0.1:9" },
      logger: createLogger({ level: "silent" }),
      ...(sessions ? { sessions } : {}),
    });
    try {
      await g.users.create({ username: "max", role: "user", password: "max-password-1" });
      const res = await g.fetch(new Request(`${PUBLIC}/api/users/login`, {
        method: "POST", headers: { "content-type": "application/json", origin: PUBLIC }, body: JSON.stringify({ username: "max", password: "max-password-1" }),
      }), { clientAddress: "192.0.2.2" });
      const set = res.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session=")) ?? "";
      const { session } = (await g.users.authenticate(decodeURIComponent(set.split(";")[0]?.split("=")[1] ?? ""))) ?? {};
      return { cookie: Number(/Max-Age=(\d+)/i.exec(set)?.[1]), session: session ? (session.expiresAt.getTime() - session.createdAt.getTime()) / 1000 : NaN };
    } finally {
      await g.close();
    }
  };
  assert.deepEqual(await maxAge(), { cookie: 30 * 24 * 3600, session: 30 * 24 * 3600 });
  assert.deepEqual(await maxAge({ maxAgeMs: 2 * 3600_000 }), { cookie: 7200, session: 7200 });
});

/** The icon: every page links one the CSP lets load, and `/favicon.ico` is not a 404. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN, FormClient, startPageStack } from "./harness.js";
import type { PageStack } from "./harness.js";

let stack: PageStack;
before(async () => { stack = await startPageStack(); });
after(() => stack.close());

test("each page links an SVG icon served from this origin (CSP img-src 'self'); /favicon.ico answers 204, not 404", async () => {
  const client = new FormClient(stack.url);
  const login = await client.get("/login");
  const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml">/.exec(login.html)?.[1];
  assert.equal(href, "/favicon.svg");
  assert.match(login.headers.get("content-security-policy") ?? "", /img-src 'self'/);
  const icon = await fetch(new URL(href, stack.url));
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get("content-type"), "image/svg+xml");
  assert.match(await icon.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const ico = await fetch(new URL("/favicon.ico", stack.url));
  assert.equal(ico.status, 204);

  const res = await client.post("/login", { username: ADMIN.username, password: ADMIN.password });
  assert.equal(res.status, 303);
  for (const path of ["/account", "/admin/users"]) {
    assert.match((await client.get(path)).html, /<link rel="icon" href="\/favicon\.svg"/, path);
  }
});

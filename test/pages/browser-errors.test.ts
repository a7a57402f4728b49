/** Errors a person meets in a browser are pages with a sentence; API clients keep problem+json. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { FormClient, MEMBER, csrfOf, startPageStack, textOf } from "./harness.js";
import type { PageStack } from "./harness.js";

let stack: PageStack;
before(async () => {
  stack = await startPageStack();
});
after(() => stack.close());

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

test("a mistyped address shows a 'Page not found' page to a browser, problem+json to anything else", async () => {
  const page = await fetch(`${stack.url}/acount`, { headers: HTML });
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  const text = textOf(await page.text());
  assert.match(text, /Page not found/);
  assert.match(text, /There is no page at \/acount\./);

  const api = await fetch(`${stack.url}/acount`);
  assert.equal(api.status, 404);
  assert.equal(api.headers.get("content-type"), "application/problem+json");
  assert.equal(((await api.json()) as { code: string }).code, "not_found");
});

test("under /api/ a browser still gets problem+json", async () => {
  const res = await fetch(`${stack.url}/api/nothing-here`, { headers: HTML });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
});

test("a form sent from another address than the configured one (localhost vs 127.0.0.1) says which address to open, and changes nothing", async () => {
  const client = new FormClient(stack.url);
  await client.signIn(MEMBER.username, MEMBER.password);
  const csrf = csrfOf((await client.get("/account")).html);
  const other = stack.url.replace("127.0.0.1", "localhost");
  const res = await client.post("/account/profile", { csrf_token: csrf, name: "Changed", email: "", avatar_url: "", theme: "" }, { origin: other, headers: HTML });
  assert.equal(res.status, 403);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(textOf(res.html), new RegExp(`This form was sent from ${other.replace(/[.]/g, "\\.")}, but this site is ${stack.url.replace(/[.]/g, "\\.")}\\. Open`));
  assert.notEqual((await stack.gatehouse.users.getByUsername(MEMBER.username)).name, "Changed");
});

test("a bad return_to on 'Sign in with GitHub' is a page with the reason, and no sign-in starts", async () => {
  const res = await fetch(`${stack.url}/auth/github?return_to=${encodeURIComponent("//evil.example/")}`, { headers: HTML, redirect: "manual" });
  assert.equal(res.status, 400);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.equal(res.headers.get("location"), null);
  assert.equal(res.headers.getSetCookie().length, 0, "no sign-in cookie");
  assert.match(textOf(await res.text()), /return_to/i);
});

/** `/login` over HTTP: the page, its headers, error sentences, password sign-in and sign-out. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { ADMIN, FormClient, MEMBER, csrfOf, startPageStack, textOf } from "./harness.js";
import type { PageStack } from "./harness.js";

let stack: PageStack;
before(async () => {
  stack = await startPageStack({ loginLimits: { perUsername: { limit: 3, windowMs: 60_000 }, perAddress: { limit: 100, windowMs: 60_000 } } });
});
after(() => stack.close());

test("/login offers Sign in with GitHub (returning to the asked page) and a labelled password form", async () => {
  const page = await new FormClient(stack.url).get("/login?return_to=%2Fadmin%2Fusers");
  assert.equal(page.status, 200);
  assert.match(page.html, /<a class="button github" href="\/auth\/github\?return_to=%2Fadmin%2Fusers">Sign in with GitHub<\/a>/);
  assert.match(page.html, /<form method="post" action="\/login">/);
  assert.match(page.html, /<label for="username">Username<\/label>\s*<input id="username" name="username"/);
  assert.match(page.html, /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/);
  assert.match(page.html, /<html lang="en"/);
  assert.match(page.html, /<main[^>]*>\s*<h1>Sign in to Gatehouse<\/h1>/);
  assert.match(page.html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
});

test("pages send a CSP without script, frame-ancestors 'none', nosniff, a referrer policy and no-store", async () => {
  const page = await new FormClient(stack.url).get("/login");
  const csp = page.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /style-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /form-action 'self'/);
  assert.doesNotMatch(csp, /script-src|unsafe-inline/);
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  assert.equal(page.headers.get("referrer-policy"), "same-origin");
  assert.equal(page.headers.get("cache-control"), "no-store");
  assert.doesNotMatch(page.html, /<script|style=/);
  const css = /<link rel="stylesheet" href="([^"]+)">/.exec(page.html)?.[1] ?? "";
  const sheet = await fetch(new URL(css, stack.url));
  assert.equal(sheet.status, 200);
  assert.equal(sheet.headers.get("content-type"), "text/css; charset=utf-8");
  assert.match(await sheet.text(), /\.card\{/);
});

test("a failed GitHub sign-in (?error=CODE) is shown as a sentence a person understands, never the code", async () => {
  const client = new FormClient(stack.url);
  const cases: [string, RegExp][] = [
    ["access_denied", /You cancelled the sign-in at GitHub/],
    ["not_invited", /has not been invited/],
    ["not_in_org", /not a member of an organisation/],
    ["github_rate_limited", /GitHub is limiting/],
    ["github_unavailable", /could not reach GitHub/],
    ["invalid_state", /not valid any more/],
    ["transaction_expired", /expired/],
    ["account_disabled", /has been disabled/],
  ];
  for (const [code, sentence] of cases) {
    const text = textOf((await client.get(`/login?error=${code}`)).html);
    assert.match(text, sentence, code);
    assert.ok(!text.includes(code), `the code ${code} itself is not shown`);
  }
  // An unknown code is external input: a generic sentence, never an echo.
  const odd = (await client.get(`/login?error=${encodeURIComponent("<b>pwned</b>")}`)).html;
  assert.match(textOf(odd), /The sign-in did not work/);
  assert.ok(!odd.includes("pwned"));
});

test("password sign-in: 303 to return_to with an HttpOnly SameSite=Lax cookie; the account page shows the user", async () => {
  const client = new FormClient(stack.url);
  const res = await client.post("/login", { username: MEMBER.username, password: MEMBER.password, return_to: "/account" });
  assert.equal(res.status, 303);
  assert.equal(res.location, `${stack.url}/account`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("gatehouse_session="));
  assert.match(cookie ?? "", /HttpOnly/);
  assert.match(cookie ?? "", /SameSite=Lax/);
  const account = await client.get("/account");
  assert.equal(account.status, 200);
  assert.match(textOf(account.html), /Mia Member @mia/);
});

test("a return_to off this site is ignored: the sign-in lands on /account, not on another host", async () => {
  for (const bad of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
    const client = new FormClient(stack.url);
    const res = await client.post("/login", { username: MEMBER.username, password: MEMBER.password, return_to: bad });
    assert.equal(res.location, `${stack.url}/account`, bad);
    const page = await new FormClient(stack.url).get(`/login?return_to=${encodeURIComponent(bad)}`);
    assert.match(page.html, /href="\/auth\/github\?return_to=%2Faccount"/, bad);
  }
});

test("login CSRF: a password sign-in posted from another site is refused and sets no cookie", async () => {
  const res = await new FormClient(stack.url).post("/login", { username: MEMBER.username, password: MEMBER.password, return_to: "/account" }, { origin: "https://evil.example" });
  assert.equal(res.status, 403);
  assert.equal(res.headers.getSetCookie().length, 0);
});

test("a wrong password re-shows the form with a sentence and the username, never the password", async () => {
  const res = await new FormClient(stack.url).post("/login", { username: ADMIN.username, password: "wrong-password-42", return_to: "/account" });
  assert.equal(res.status, 401);
  assert.match(textOf(res.html), /That username and password do not match/);
  assert.match(res.html, /name="username"[^>]*value="root"/);
  assert.ok(!res.html.includes("wrong-password-42"));
  assert.ok(!stack.logs.join("\n").includes("wrong-password-42"));
});

test("too many wrong passwords: 429 with Retry-After and a sentence saying how long to wait", async () => {
  const client = new FormClient(stack.url);
  let last;
  for (let i = 0; i < 5; i++) last = await client.post("/login", { username: "nobody-here", password: "wrong-password", return_to: "/account" });
  assert.equal(last?.status, 429);
  assert.match(last?.headers.get("retry-after") ?? "", /^\d+$/);
  assert.match(textOf(last?.html ?? ""), /Too many sign-in attempts\. Please wait \d+ (seconds|minutes?) and try again\./);
});

test("a form post that is not urlencoded is refused with a sentence (415), nothing signed in", async () => {
  const res = await fetch(`${stack.url}/login`, { method: "POST", headers: { "content-type": "application/json", origin: stack.url }, body: JSON.stringify({ username: MEMBER.username, password: MEMBER.password }) });
  assert.equal(res.status, 415);
  assert.equal(res.headers.getSetCookie().length, 0);
  assert.match(textOf(await res.text()), /must be sent as application\/x-www-form-urlencoded/);
});

test("sign out: POST /logout with the token ends the session server-side and says so on /login", async () => {
  const client = new FormClient(stack.url);
  await client.signIn(MEMBER.username, MEMBER.password);
  const stolen = client.cookies.get("gatehouse_session") ?? "";
  const account = await client.get("/account");
  const res = await client.post("/logout", { csrf_token: csrfOf(account.html) });
  assert.equal(res.status, 303);
  assert.equal(res.location, `${stack.url}/login?signed_out=1`);
  assert.equal(client.cookies.has("gatehouse_session"), false);
  assert.match(textOf((await client.get("/login?signed_out=1")).html), /You have signed out\./);
  // The old cookie value is dead on the server, not just forgotten by the browser.
  assert.equal(await stack.gatehouse.users.authenticate(stolen), undefined);
});

test("a signed-in visitor of /login goes to the account; a dead session cookie gets 'Your session has ended'", async () => {
  const client = new FormClient(stack.url);
  await client.signIn(MEMBER.username, MEMBER.password);
  const again = await client.get("/login");
  assert.equal(again.status, 303);
  assert.equal(again.location, `${stack.url}/account`);
  await stack.gatehouse.users.signOut(client.cookies.get("gatehouse_session") ?? "");
  const account = await client.get("/account");
  assert.equal(account.location, `${stack.url}/login?return_to=%2Faccount`);
  const login = await client.get("/login?return_to=%2Faccount");
  assert.match(textOf(login.html), /Your session has ended\. Please sign in again\./);
  assert.equal(client.cookies.has("gatehouse_session"), false, "the dead cookie is cleared");
});

test("an oversized form post is refused with 413 while it streams, without waiting for (or buffering) the rest", async () => {
  // A chunked body (no Content-Length) that sends 20 KB, then stalls: a server that reads the whole
  // body before measuring it never answers.
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${stack.url}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.url } }, (r) => {
      let body = "";
      r.setEncoding("utf8").on("data", (d: string) => { body += d; }).on("end", () => resolve({ status: r.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(3000, () => { req.destroy(); reject(new Error("no answer: the server waits for the whole body")); });
    req.write(`username=${"x".repeat(20 * 1024)}`);
  });
  assert.equal(res.status, 413);
  assert.match(textOf(res.body), /This form is too large\./);
});

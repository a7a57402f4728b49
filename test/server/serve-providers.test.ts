/**
 * `gatehouse serve` (a child process) configured by GATEHOUSE_OAUTH_PROVIDERS with the test OpenID
 * Connect issuer: the login page shows its button and a sign-in works; a bad entry stops the start
 * with one line naming the entry and the field, and no secret.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Browser, signedInUser } from "./harness.js";
import { cliEnv, runCli } from "../cli/run-cli.js";
import { freePortPair, startServe } from "../cli/serve-process.js";
import { startOidcIssuer } from "../support/oidc-issuer.js";

const SECRET = "serve-oidc-secret-0123456789abcdef012345";

test("gatehouse serve with GATEHOUSE_OAUTH_PROVIDERS naming an OIDC issuer: its button on the login page, and a sign-in through it", async () => {
  // The redirect URI is registered at the issuer before the service starts: a port chosen now.
  const port = await freePortPair();
  const origin = `http://127.0.0.1:${port}`;
  const issuer = await startOidcIssuer({
    clients: [{ clientId: "gatehouse", clientSecret: SECRET, redirectUris: [`${origin}/auth/corp/callback`] }],
    accounts: [{ sub: "grace-sub", email: "grace@example.org", email_verified: true, preferred_username: "grace" }],
  });
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-serve-providers-"));
  const serve = await startServe({
    GATEHOUSE_PORT: String(port),
    GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, "gatehouse.db")}`,
    GATEHOUSE_DATA_DIR: join(dir, "data"),
    GATEHOUSE_OAUTH_PROVIDERS: JSON.stringify([{ name: "corp", display_name: "Corp ID", issuer: issuer.url, client_id: "gatehouse", secret: SECRET }]),
  });
  try {
    assert.equal(serve.loginUrl.origin, origin);
    const browser = new Browser(origin);
    const page = await (await browser.fetch(serve.loginUrl.pathname, { headers: { accept: "text/html" } })).text();
    const button = /href="(\/auth\/corp\?[^"]*)">Sign in with Corp ID</.exec(page)?.[1]?.replaceAll("&amp;", "&");
    assert.equal(button, "/auth/corp?return_to=%2Faccount");
    const start = await browser.fetch(button);
    assert.equal(new URL(start.headers.get("location") ?? "").origin, issuer.url);
    const callback = await issuer.authorizeAs(start.headers.get("location") ?? "", "grace-sub");
    assert.equal((await browser.fetch(callback.toString())).headers.get("location"), "/account");
    const user = await signedInUser<{ username: string; email: string; identities: { provider: string; subject: string }[] }>(browser);
    assert.deepEqual([user.username, user.email, user.identities.map((i) => [i.provider, i.subject])], ["grace", "grace@example.org", [["corp", "grace-sub"]]]);
    assert.ok(!serve.proc.stdout().includes(SECRET) && !serve.proc.stderr().includes(SECRET), "the client secret is never printed");
  } finally {
    const end = await serve.stop();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(end.status, 0, end.stdout.slice(-2000) + end.stderr);
  }
});

test("gatehouse serve refuses a bad GATEHOUSE_OAUTH_PROVIDERS entry: one line naming the entry and the field, no secret", async () => {
  const entries = [{ name: "corp", issuer: "http://127.0.0.1:9/", client_id: "gatehouse", secret: SECRET }, { name: "work", issuer: "http://127.0.0.1:9/", secret: SECRET }];
  const result = await runCli(["serve"], cliEnv({ GATEHOUSE_OAUTH_PROVIDERS: JSON.stringify(entries) }));
  assert.equal(result.status, 1);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  assert.match(result.stderr, /^gatehouse serve: GATEHOUSE_OAUTH_PROVIDERS: entry 1 \("work"\): client_id /);
  assert.ok(!result.stderr.includes(SECRET), "no secret in the message");
});

/**
 * Real Chromium signs in through the login page's provider button at the real OpenID Connect
 * issuer (oidc-provider, test/support/oidc-issuer.ts, which completes its login for a browser as
 * its `browserAccount`): every redirect and cookie is the browser's own, and it lands signed in.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { sqliteDatabase } from "../store/databases.js";
import { startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { startOidcIssuer } from "../support/oidc-issuer.js";
import type { OidcIssuer } from "../support/oidc-issuer.js";
import { launchChromium, skipReason } from "./chromium.js";

const skip = skipReason;
const SECRET = "browser-oidc-secret-0123456789abcdef0123";
let stack: Stack;
let issuer: OidcIssuer;
let browser: Browser;
const db = sqliteDatabase();

before(async () => {
  if (skip) return;
  [stack, browser] = await Promise.all([
    startStack({
      database: await db.fresh(),
      config: async ({ url }) => {
        issuer = await startOidcIssuer({
          clients: [{ clientId: "gatehouse", clientSecret: SECRET, redirectUris: [`${url}/auth/corp/callback`] }],
          accounts: [{ sub: "hedy-sub", email: "hedy@example.org", email_verified: true, name: "Hedy", preferred_username: "hedy" }],
          browserAccount: "hedy-sub",
        });
        return { providers: [{ kind: "oidc", name: "corp", displayName: "Corp ID", issuer: issuer.url, clientId: "gatehouse", clientSecret: SECRET, scopes: ["openid", "email", "profile"], signup: undefined }] };
      },
    }),
    launchChromium(),
  ]);
});
after(async () => {
  if (skip) return;
  await browser?.close();
  await stack?.close();
  await issuer?.close();
  await db.cleanup();
});

test("Chromium: the login page's 'Sign in with Corp ID' → the issuer → back on the account page, signed in as the issuer's subject", { skip }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${stack.url}/login?return_to=/account`);
    await page.getByRole("link", { name: "Sign in with Corp ID" }).click();
    await page.waitForURL(`${stack.url}/account`, { timeout: 10_000 });
    assert.ok(issuer.requests.some((p) => p.startsWith("/interaction/")), "the browser went through the issuer's login");
    // The API as this browser sees it, with its own cookies (the pages' CSP allows no script fetch).
    const res = await page.goto(`${stack.url}/api/users/me`);
    const me = (await res?.json()) as { user: { username: string; email: string; identities: { provider: string; subject: string }[] } };
    assert.deepEqual([me.user.username, me.user.email, me.user.identities.map((i) => `${i.provider}:${i.subject}`)], ["hedy", "hedy@example.org", ["corp:hedy-sub"]]);
    const cookies = await context.cookies(stack.url);
    assert.equal(cookies.find((c) => c.name === "gatehouse_session")?.httpOnly, true);
    assert.equal(cookies.some((c) => c.name === "gatehouse_oauth"), false, "the binding cookie is gone");
  } finally {
    await context.close();
  }
});

/**
 * A generic provider whose callback is a front end's route (`callback_url`): a single-page app, or
 * codx-junior's front end, whose `/auth/{provider}` route receives the code and posts it to
 * `POST /api/users/oauth-login`, as GitHub's `GATEHOUSE_GITHUB_CALLBACK_URL` allows. Against the
 * real issuer (oidc-provider), SQLite and PostgreSQL.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { forEachDatabase } from "../store/databases.js";
import { createGatehouse } from "../../src/server/gatehouse.js";
import { UsersError } from "../../src/users/index.js";
import type { OidcProviderSettings } from "../../src/providers/index.js";
import { signedInUser, startStack } from "./harness.js";
import type { Stack } from "./harness.js";
import { startOidcIssuer } from "../support/oidc-issuer.js";
import type { OidcIssuer } from "../support/oidc-issuer.js";

const SECRET = "spa-client-secret-0123456789abcdef0123456789";

function settings(issuer: OidcIssuer, callbackUrl: string): OidcProviderSettings {
  return {
    kind: "oidc", name: "corp", displayName: "Corp ID", issuer: issuer.url, clientId: "spa", clientSecret: SECRET,
    scopes: ["openid", "email", "profile"], signup: undefined, callbackUrl,
  };
}

forEachDatabase("a generic provider returning to a front end's route (callback_url)", (db) => {
  let stack: Stack;
  let issuer: OidcIssuer;
  /** The front end's route, on the service's own origin (e.g. behind the same proxy). */
  let spaRoute: string;

  before(async () => {
    stack = await startStack({
      database: await db.fresh(),
      config: async ({ url }) => {
        spaRoute = `${url}/app/auth/corp`;
        issuer = await startOidcIssuer({
          clients: [{ clientId: "spa", clientSecret: SECRET, redirectUris: [spaRoute] }],
          accounts: [{ sub: "spa-sub", email: "spa@example.org", email_verified: true, preferred_username: "spa" }],
        });
        return { providers: [settings(issuer, spaRoute)] };
      },
    });
  });
  after(async () => {
    await stack.close();
    await issuer.close();
  });

  test("the authorization names the front end's route; the front end posts code, state and iss and gets a session", async () => {
    const browser = stack.browser();
    const res = await browser.fetch(`/api/users/oauth-login-url/corp?redirect_uri=${encodeURIComponent(spaRoute)}`);
    assert.equal(res.status, 200, await res.clone().text());
    const { auth_url } = (await res.json()) as { auth_url: string };
    assert.equal(new URL(auth_url).searchParams.get("redirect_uri"), spaRoute);
    // The issuer sends the browser to the front end's route, with the code there.
    const back = await issuer.authorizeAs(auth_url, "spa-sub");
    assert.equal(`${back.origin}${back.pathname}`, spaRoute);
    const login = await browser.fetch("/api/users/oauth-login", {
      method: "POST",
      json: {
        oauth_provider: "corp", code: back.searchParams.get("code") ?? "", state: back.searchParams.get("state") ?? "",
        iss: back.searchParams.get("iss") ?? "", redirect_uri: spaRoute,
      },
    });
    assert.equal(login.status, 200, await login.clone().text());
    const user = await signedInUser<{ username: string }>(browser);
    assert.equal(user.username, "spa");
  });

  test("a redirect_uri other than the provider's callback_url is refused, naming the field", async () => {
    const browser = stack.browser();
    for (const other of [`${stack.url}/auth/corp/callback`, "https://evil.example/auth/corp"]) {
      const res = await browser.fetch(`/api/users/oauth-login-url/corp?redirect_uri=${encodeURIComponent(other)}`);
      assert.equal(res.status, 400);
      const problem = (await res.json()) as { code: string; field: string };
      assert.deepEqual([problem.code, problem.field], ["invalid_redirect_uri", "redirect_uri"]);
    }
  });
});

test("a provider's callback_url off the public origin and the app origins stops createGatehouse, naming the provider", async () => {
  const issuer = { url: "https://id.example" } as OidcIssuer;
  const base = { publicUrl: "https://auth.example.com", database: "sqlite::memory:", secret: "a".repeat(64), github: { clientId: "x", clientSecret: "y" } };
  await assert.rejects(createGatehouse({ ...base, providers: [settings(issuer, "https://evil.example/auth/corp")] }), (err: unknown) =>
    err instanceof UsersError && err.code === "invalid_input" && err.field === "providers.corp.callbackUrl");
  // On a listed app origin it is accepted.
  const ok = await createGatehouse({ ...base, appOrigins: ["https://app.example.com"], providers: [settings(issuer, "https://app.example.com/auth/corp")] });
  assert.equal(ok.users.providerRedirectUri("corp"), "https://app.example.com/auth/corp");
  await ok.close();
});

/**
 * A plain OAuth 2 provider (no OpenID Connect) configured by its endpoints, against the GitHub
 * emulator configured generically: the code flow with PKCE, then userinfo (`GET /user`) mapped.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_APP, startGitHubEmulator, type GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { createProvider, OIDC_CLAIMS, type OAuth2ProviderSettings } from "../../src/providers/index.js";
import { CALLBACK, closedPortUrl, rejectsWith, replacingBody, rewritingJson, signIn, start } from "./helpers.js";

let gh: GitHubEmulatorHandle;
before(async () => {
  gh = await startGitHubEmulator({ autoApprove: "octocat" });
});
after(() => gh.close());

function settings(overrides: Partial<OAuth2ProviderSettings> = {}): OAuth2ProviderSettings {
  return {
    kind: "oauth2", name: "forge", displayName: "Forge", clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret,
    scopes: ["read:user"], signup: undefined,
    authorizeUrl: `${gh.url}/login/oauth/authorize`,
    tokenUrl: `${gh.url}/login/oauth/access_token`,
    userinfoUrl: `${gh.url}/user`,
    issuer: `${gh.url}/login/oauth`,
    mapping: { ...OIDC_CLAIMS, id: "id", username: "login", avatar: "avatar_url" },
    ...overrides,
  };
}

/** The emulator approves at once (autoApprove): its answer is the redirect to the callback. */
async function browse(url: URL): Promise<URL> {
  const res = await fetch(url, { redirect: "manual" });
  const location = res.headers.get("location");
  assert.equal(res.status, 302, `authorize answered ${res.status}`);
  assert.ok(location !== null);
  return new URL(location);
}

const SECRETS = [DEFAULT_APP.clientSecret];

describe("a plain OAuth 2 sign-in (the GitHub emulator)", () => {
  test("returns the numeric id as a string subject, the login, name and avatar; no email without a verified flag", async () => {
    const provider = createProvider(settings());
    const auth = await provider.createAuthorization(CALLBACK);
    assert.equal(auth.nonce, null);
    assert.equal(auth.url.searchParams.get("code_challenge_method"), "S256");
    assert.equal(auth.url.searchParams.get("scope"), "read:user");
    const identity = await signIn(provider, browse);
    assert.equal(identity.subject, "583231");
    assert.equal(identity.username, "octocat");
    assert.equal(identity.name, "The Octocat");
    assert.match(identity.avatarUrl ?? "", /^http/);
    // GET /user has `email` but nothing saying it is verified: not an email to trust.
    assert.equal(identity.email, null);
  });

  test("the email counts when the mapped email_verified member is true", async () => {
    const provider = createProvider(settings({ mapping: { ...settings().mapping, email_verified: "email_checked" } }), {
      fetch: rewritingJson("/user", (j) => ({ ...j, email_checked: true })),
    });
    assert.equal((await signIn(provider, browse)).email, "octocat@github.com");
    const unverified = createProvider(settings({ mapping: { ...settings().mapping, email_verified: "email_checked" } }), {
      fetch: rewritingJson("/user", (j) => ({ ...j, email_checked: "true" })),
    });
    assert.equal((await signIn(unverified, browse)).email, null);
  });

  test("the client secret goes in the body by default (client_secret_post)", async () => {
    const seen: string[] = [];
    const provider = createProvider(settings(), {
      fetch: async (input, init) => {
        if (String(input).endsWith("/access_token")) seen.push(`${new Headers(init?.headers).has("authorization")} ${String(init?.body).includes("client_secret=")}`);
        return fetch(input, init);
      },
    });
    await signIn(provider, browse);
    assert.deepEqual(seen, ["false true"]);
  });
});

describe("its callback", () => {
  test("the emulator sends iss; with the issuer configured, another iss → issuer_mismatch", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, browse);
    assert.equal(s.callback.searchParams.get("iss"), `${gh.url}/login/oauth`);
    const altered = new URLSearchParams(s.callback.searchParams);
    altered.set("iss", "https://github.com/login/oauth");
    await rejectsWith(provider.complete(altered, s.tx), "issuer_mismatch", { detail: "iss", secrets: [...SECRETS, s.tx.codeVerifier] });
  });

  test("without a configured issuer, iss is ignored", async () => {
    const provider = createProvider(settings({ issuer: undefined }));
    const s = await start(provider, browse);
    const altered = new URLSearchParams(s.callback.searchParams);
    altered.set("iss", "https://elsewhere.example");
    assert.equal((await provider.complete(altered, s.tx)).subject, "583231");
  });

  test("another sign-in's state → state_mismatch", async () => {
    const provider = createProvider(settings());
    const first = await start(provider, browse);
    const second = await start(provider, browse);
    await rejectsWith(provider.complete(first.callback.searchParams, second.tx), "state_mismatch");
  });

  test("error=access_denied → access_denied", async () => {
    const provider = createProvider(settings());
    const auth = await provider.createAuthorization(CALLBACK);
    const params = new URLSearchParams({ error: "access_denied", error_description: "The user has denied your application access.", state: auth.state, iss: `${gh.url}/login/oauth` });
    await rejectsWith(provider.complete(params, { ...auth, redirectUri: CALLBACK }), "access_denied");
  });

  test("a spent code (GitHub's HTTP 200 bad_verification_code) → invalid_code", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, browse);
    await provider.complete(s.callback.searchParams, s.tx);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_code", {
      detail: "bad_verification_code", secrets: [...SECRETS, s.tx.codeVerifier, s.callback.searchParams.get("code") ?? ""],
    });
  });

  test("a wrong PKCE verifier is refused by the token endpoint", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, browse);
    const err = await rejectsWith(provider.complete(s.callback.searchParams, { ...s.tx, codeVerifier: "x".repeat(43) }), "invalid_code");
    assert.ok(!err.message.includes("x".repeat(43)));
  });
});

describe("its userinfo", () => {
  test("without the mapped id → invalid_response (id)", async () => {
    const provider = createProvider(settings(), { fetch: rewritingJson("/user", ({ id: _id, ...rest }) => rest) });
    const s = await start(provider, browse);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { detail: "id" });
  });

  test("with an empty id → invalid_response", async () => {
    const provider = createProvider(settings(), { fetch: rewritingJson("/user", (j) => ({ ...j, id: "" })) });
    const s = await start(provider, browse);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { detail: "id" });
  });

  test("not JSON → invalid_response", async () => {
    const provider = createProvider(settings(), { fetch: replacingBody("/user", "<html>") });
    const s = await start(provider, browse);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { detail: "json" });
  });

  test("a JSON array → invalid_response", async () => {
    const provider = createProvider(settings(), { fetch: replacingBody("/user", "[1,2]") });
    const s = await start(provider, browse);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { detail: "json" });
  });

  test("an error status → invalid_response", async () => {
    const provider = createProvider(settings({ userinfoUrl: `${gh.url}/no-such-endpoint` }));
    const s = await start(provider, browse);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response");
  });
});

describe("a plain OAuth 2 provider that is down", () => {
  test("its token endpoint unreachable → unavailable", async () => {
    const provider = createProvider(settings({ tokenUrl: `${await closedPortUrl()}/login/oauth/access_token` }));
    const s = await start(provider, browse);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "unavailable", { secrets: [...SECRETS, s.tx.codeVerifier] });
  });
});

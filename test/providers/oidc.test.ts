/**
 * An OpenID Connect provider through `createProvider`, against a real issuer (oidc-provider on
 * 127.0.0.1): the sign-in, and each check the protocol makes failing when it should.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { pino } from "pino";
import { createProvider, type OidcProviderSettings, type SignInProvider } from "../../src/providers/index.js";
import { startOidcIssuer, type OidcIssuer } from "../support/oidc-issuer.js";
import { aheadClock } from "../support/clock.js";
import {
  CALLBACK, closedPortUrl, countingFetch, jwtPayload, rejectsWith, replacingBody, resignWithStrangerKey, rewritingJson, signIn, silentServer, start, tamper,
} from "./helpers.js";

const SECRET = "app-secret-0123456789abcdef0123456789abcdef";
const OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcd";

let issuer: OidcIssuer;
before(async () => {
  issuer = await startOidcIssuer({
    clients: [
      { clientId: "app", clientSecret: SECRET, redirectUris: [CALLBACK] },
      { clientId: "other", clientSecret: OTHER_SECRET, redirectUris: [CALLBACK], tokenEndpointAuthMethod: "client_secret_post" },
    ],
    accounts: [
      { sub: "alice-sub", email: "alice@example.org", email_verified: true, name: "Alice A.", preferred_username: "alice", picture: "https://img.example.org/alice.png" },
      { sub: "bob-sub", email: "bob@example.org", email_verified: false, name: "Bob", preferred_username: "bob" },
    ],
  });
});
after(() => issuer.close());

function settings(overrides: Partial<OidcProviderSettings> = {}): OidcProviderSettings {
  return {
    kind: "oidc", name: "test", displayName: "Test", issuer: issuer.url, clientId: "app", clientSecret: SECRET,
    scopes: ["openid", "email", "profile"], signup: undefined, ...overrides,
  };
}

const as = (account: string) => (url: URL) => issuer.authorizeAs(url, account);

/** The secrets no error message may show for a started sign-in. */
function secretsOf(s: { callback: URL; tx: { codeVerifier: string } }): string[] {
  return [SECRET, s.tx.codeVerifier, s.callback.searchParams.get("code") ?? SECRET];
}

describe("an OIDC sign-in", () => {
  test("returns the issuer's subject, the profile claims, and a verified email", async () => {
    const provider = createProvider(settings());
    const auth = await provider.createAuthorization(CALLBACK);
    assert.equal(auth.url.searchParams.get("code_challenge_method"), "S256");
    assert.equal(auth.url.searchParams.get("nonce"), auth.nonce);
    assert.equal(auth.url.searchParams.get("state"), auth.state);
    assert.equal(auth.url.searchParams.has("code_verifier"), false);
    assert.deepEqual(await signIn(provider, as("alice-sub")), {
      subject: "alice-sub", username: "alice", name: "Alice A.", email: "alice@example.org", avatarUrl: "https://img.example.org/alice.png",
    });
  });

  test("an unverified email is not returned", async () => {
    const identity = await signIn(createProvider(settings()), as("bob-sub"));
    assert.equal(identity.subject, "bob-sub");
    assert.equal(identity.email, null);
  });

  test("client_secret_post is used when configured (the issuer registered `other` for it)", async () => {
    const identity = await signIn(createProvider(settings({ clientId: "other", clientSecret: OTHER_SECRET, tokenAuth: "client_secret_post" })), as("alice-sub"));
    assert.equal(identity.subject, "alice-sub");
  });

  test("discovery is fetched once and reused, and again after an hour", async () => {
    const counter = countingFetch();
    const clock = aheadClock();
    const provider = createProvider(settings(), { fetch: counter.fetch, now: clock.now });
    await signIn(provider, as("alice-sub"));
    await signIn(provider, as("alice-sub"));
    assert.equal(counter.count("/.well-known/openid-configuration"), 1);
    clock.advance(61 * 60 * 1000);
    await provider.createAuthorization(CALLBACK);
    assert.equal(counter.count("/.well-known/openid-configuration"), 2);
  });
});

describe("the callback", () => {
  test("error=access_denied → access_denied", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, (url) => issuer.authorizeAs(url, "alice-sub", { deny: true }));
    assert.equal(s.callback.searchParams.get("error"), "access_denied");
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "access_denied", { detail: "access_denied" });
  });

  test("a state that is not this sign-in's → state_mismatch", async () => {
    const provider = createProvider(settings());
    const first = await start(provider, as("alice-sub"));
    const second = await start(provider, as("alice-sub"));
    // The first sign-in's callback completed with the second's transaction.
    await rejectsWith(provider.complete(first.callback.searchParams, second.tx), "state_mismatch", { secrets: secretsOf(first) });
  });

  test("a replayed callback → invalid_code (the code is spent)", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, as("alice-sub"));
    await provider.complete(s.callback.searchParams, s.tx);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_code", { detail: "invalid_grant", secrets: secretsOf(s) });
  });

  test("an iss that is not the issuer → issuer_mismatch; a missing one too (the issuer announces it sends iss)", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, as("alice-sub"));
    assert.equal(s.callback.searchParams.get("iss"), issuer.url);
    const altered = new URLSearchParams(s.callback.searchParams);
    altered.set("iss", "https://attacker.example");
    await rejectsWith(provider.complete(altered, s.tx), "issuer_mismatch", { detail: "iss", secrets: secretsOf(s) });
    const missing = new URLSearchParams(s.callback.searchParams);
    missing.delete("iss");
    await rejectsWith(provider.complete(missing, s.tx), "issuer_mismatch", { detail: "iss" });
  });

  test("no code → missing_code", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, as("alice-sub"));
    const params = new URLSearchParams(s.callback.searchParams);
    params.delete("code");
    await rejectsWith(provider.complete(params, s.tx), "missing_code");
  });
});

describe("the ID token", () => {
  test("a flipped byte of its signature → invalid_id_token (signature)", async () => {
    const provider = createProvider(settings({}), { fetch: rewritingJson("/token", (j) => ({ ...j, id_token: tamper(String(j["id_token"]), 2) })) });
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_id_token", { detail: "signature", secrets: secretsOf(s) });
  });

  test("a changed payload (another subject) → invalid_id_token (signature)", async () => {
    const swapSub = (jwt: string): string => {
      const [header, , signature] = jwt.split(".");
      const payload = Buffer.from(JSON.stringify({ ...jwtPayload(jwt), sub: "bob-sub" })).toString("base64url");
      return `${header}.${payload}.${signature}`;
    };
    const provider = createProvider(settings(), { fetch: rewritingJson("/token", (j) => ({ ...j, id_token: swapSub(String(j["id_token"])) })) });
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_id_token", { detail: "signature" });
  });

  test("a token issued to another client (wrong aud) → invalid_id_token (aud)", async () => {
    let otherToken = "";
    const other = createProvider(settings({ clientId: "other", clientSecret: OTHER_SECRET }), {
      fetch: rewritingJson("/token", (j) => { otherToken = String(j["id_token"]); return j; }),
    });
    await signIn(other, as("alice-sub"));
    assert.equal(jwtPayload(otherToken)["aud"], "other");
    const provider = createProvider(settings(), { fetch: rewritingJson("/token", (j) => ({ ...j, id_token: otherToken })) });
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_id_token", { detail: "aud" });
  });

  test("a nonce that is not this sign-in's → invalid_id_token (nonce)", async () => {
    const provider = createProvider(settings());
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, { ...s.tx, nonce: "another-sign-ins-nonce" }), "invalid_id_token", { detail: "nonce" });
  });

  test("an expired token (the clock two hours on) → invalid_id_token (exp)", async () => {
    const clock = aheadClock();
    const provider = createProvider(settings(), { now: clock.now });
    const s = await start(provider, as("alice-sub"));
    clock.advance(2 * 60 * 60 * 1000);
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_id_token", { detail: "exp" });
  });

  test("after the issuer rotates its key, the next sign-in succeeds with exactly one JWKS refetch (logged, without secrets)", async () => {
    const counter = countingFetch();
    const lines: string[] = [];
    const destination = { write: (line: string) => void lines.push(line) };
    // A pino logger is what the service passes.
    const provider = createProvider(settings(), { fetch: counter.fetch, log: pino({ level: "info" }, destination) });
    await signIn(provider, as("alice-sub"));
    assert.equal(counter.count("/jwks"), 1);
    const oldKid = issuer.currentKid();
    issuer.rotateKeys();
    assert.notEqual(issuer.currentKid(), oldKid);
    assert.equal((await signIn(provider, as("alice-sub"))).subject, "alice-sub");
    assert.equal(counter.count("/jwks"), 2);
    // The new keys are kept: no further fetch.
    await signIn(provider, as("alice-sub"));
    assert.equal(counter.count("/jwks"), 2);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /fetching the JWKS again/);
    assert.ok(!(lines[0] ?? "").includes(SECRET));
  });

  test("a token signed by a key the JWKS does not have → invalid_id_token (kid), after exactly one refetch", async () => {
    const counter = countingFetch();
    const stranger = rewritingJson("/token", (j) => ({ ...j, id_token: resignWithStrangerKey(String(j["id_token"]), "stranger") }));
    let altering = false;
    const provider = createProvider(settings(), {
      fetch: (input, init) => (altering ? stranger : counter.fetch)(input, init),
    });
    await signIn(provider, as("alice-sub"));
    assert.equal(counter.count("/jwks"), 1);
    altering = true;
    const s = await start(provider, as("alice-sub"));
    const jwksBefore = issuer.jwksFetches();
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_id_token", { detail: "kid" });
    assert.equal(issuer.jwksFetches() - jwksBefore, 1);
  });
});

describe("userinfo", () => {
  test("about another subject → invalid_response (sub)", async () => {
    const provider = createProvider(settings(), { fetch: rewritingJson("/me", (j) => ({ ...j, sub: "bob-sub" })) });
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { detail: "sub" });
  });

  test("not JSON → invalid_response", async () => {
    const provider = createProvider(settings(), { fetch: replacingBody("/me", "{not json") });
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { detail: "json" });
  });
});

describe("a provider that misbehaves", () => {
  test("a discovery document naming another issuer → issuer_mismatch", async () => {
    // The same server by another name: its document says 127.0.0.1.
    const provider = createProvider(settings({ issuer: issuer.url.replace("127.0.0.1", "localhost") }));
    await rejectsWith(provider.createAuthorization(CALLBACK), "issuer_mismatch", { detail: "issuer" });
  });

  test("a discovery document that is not JSON → invalid_response", async () => {
    const provider = createProvider(settings(), { fetch: replacingBody("/openid-configuration", "<html>") });
    await rejectsWith(provider.createAuthorization(CALLBACK), "invalid_response", { detail: "json" });
  });

  test("a token endpoint answering bad JSON → invalid_response", async () => {
    const provider = createProvider(settings(), { fetch: replacingBody("/token", "{\"access_token\":") });
    const s = await start(provider, as("alice-sub"));
    await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "invalid_response", { secrets: secretsOf(s) });
  });

  test("down (nothing listens) → unavailable, and discovery is not retried before the backoff", async () => {
    const counter = countingFetch();
    const provider = createProvider(settings({ issuer: await closedPortUrl() }), { fetch: counter.fetch });
    await rejectsWith(provider.createAuthorization(CALLBACK), "unavailable");
    await rejectsWith(provider.createAuthorization(CALLBACK), "unavailable");
    assert.equal(counter.count("/.well-known/openid-configuration"), 1);
  });

  test("discovery that failed is retried after the backoff; a stale document outlives a failed refresh", async () => {
    const clock = aheadClock();
    const counter = countingFetch();
    let down = true;
    const provider = createProvider(settings(), {
      now: clock.now,
      fetch: (input, init) => (down ? Promise.reject(new TypeError("fetch failed")) : counter.fetch(input, init)),
    });
    await rejectsWith(provider.createAuthorization(CALLBACK), "unavailable");
    down = false;
    await rejectsWith(provider.createAuthorization(CALLBACK), "unavailable"); // within the backoff: not asked
    assert.equal(counter.count("/.well-known/openid-configuration"), 0);
    clock.advance(6000);
    await provider.createAuthorization(CALLBACK);
    assert.equal(counter.count("/.well-known/openid-configuration"), 1);
    // An hour on, the refresh fails: the last good document stays in use.
    clock.advance(61 * 60 * 1000);
    down = true;
    await provider.createAuthorization(CALLBACK);
  });

  test("slow (no answer within the timeout) → unavailable", async () => {
    const slow = await silentServer();
    try {
      const provider = createProvider(settings({ issuer: slow.url }), { timeoutMs: 200 });
      const started = Date.now();
      const err = await rejectsWith(provider.createAuthorization(CALLBACK), "unavailable");
      assert.match(err.message, /200 ms/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await slow.close();
    }
  });

  test("a token endpoint that stops answering mid-sign-in → unavailable", async () => {
    const slow = await silentServer();
    try {
      const provider = createProvider(settings(), {
        timeoutMs: 300,
        fetch: rewritingJson("/openid-configuration", (j) => ({ ...j, token_endpoint: `${slow.url}/token` })),
      });
      const s = await start(provider, as("alice-sub"));
      await rejectsWith(provider.complete(s.callback.searchParams, s.tx), "unavailable", { secrets: secretsOf(s) });
    } finally {
      await slow.close();
    }
  });
});

describe("createProvider", () => {
  test("refuses an http issuer off the loopback interface", () => {
    assert.throws(() => createProvider(settings({ issuer: "http://gitlab.example.com" })), { name: "ProviderConfigError", code: "invalid_value" });
  });

  test("a provider object is reusable across sign-ins of different users", async () => {
    const provider: SignInProvider = createProvider(settings());
    assert.equal((await signIn(provider, as("bob-sub"))).subject, "bob-sub");
    assert.equal((await signIn(provider, as("alice-sub"))).subject, "alice-sub");
  });
});

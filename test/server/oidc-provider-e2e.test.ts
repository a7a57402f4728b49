/**
 * A generic OpenID Connect provider end to end: the real issuer (oidc-provider, test/support/
 * oidc-issuer.ts) and the service on 127.0.0.1, driven only through HTTP — the browser flow, the
 * two-step JSON flow, each failure leaving nothing half-made, linking and unlinking, per-provider
 * signup, and the GitHub emulator configured as a plain OAuth 2 provider. SQLite and PostgreSQL.
 * test/server/provider-accounts.test.ts covers the same routes against a stub provider.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createProvider, OIDC_CLAIMS } from "../../src/providers/index.js";
import type { OAuth2ProviderSettings, OidcProviderSettings } from "../../src/providers/index.js";
import { forEachDatabase } from "../store/databases.js";
import { CLIENT_ID, CLIENT_SECRET, countAndClearTransactions, signedInUser, signInWithGitHub, startStack } from "./harness.js";
import type { Browser, Stack } from "./harness.js";
import { startOidcIssuer } from "../support/oidc-issuer.js";
import type { OidcIssuer, TestAccount } from "../support/oidc-issuer.js";
import { closedPortUrl, rewritingJson, tamper } from "../providers/helpers.js";
import { passwordUser as signInWithPassword, postAccountForm, TEST_PASSWORD } from "./account-helpers.js";
import { Browser as EmulatorBrowser, forms } from "../emulator/browser.js";

const SECRET = "gatehouse-oidc-secret-0123456789abcdef0123";
const OTHER_SECRET = "other-client-secret-0123456789abcdef01234";

const ACCOUNTS: TestAccount[] = [
  { sub: "ada-sub", email: "ada@example.org", email_verified: true, name: "Ada L.", preferred_username: "ada" },
  { sub: "ben-sub", email: "ben@example.org", email_verified: false, name: "Ben", preferred_username: "ben" },
  // alice@example.com is GitHub alice's verified email in the harness's emulator too.
  { sub: "alice-twin", email: "alice@example.com", email_verified: true, preferred_username: "alice" },
  { sub: "alice-work", email: "alice@example.com", email_verified: true, preferred_username: "alice-work" },
  ...["json-sub", "fail-sub", "replay-sub", "rotate-sub", "down-sub", "link-sub", "only-sub", "stranger-sub", "invited-sub"]
    .map((sub) => ({ sub, preferred_username: sub.replace(/-sub$/, "") })),
];

interface IdentityJson { provider: string; subject: string; username: string | null; email: string | null }
interface UserJson { id: number; username: string; email: string | null; has_password: boolean; github: { id: number } | null; identities?: IdentityJson[] }
interface Problem { code: string; detail: string; status: number }

/** The issuer's OIDC settings for provider `name` (client `gatehouse` unless told). */
function oidcSettings(issuer: OidcIssuer, name: string, overrides: Partial<OidcProviderSettings> = {}): OidcProviderSettings {
  return {
    kind: "oidc", name, displayName: name === "corp" ? "Corp ID" : name, issuer: issuer.url, clientId: "gatehouse", clientSecret: SECRET,
    scopes: ["openid", "email", "profile"], signup: undefined, ...overrides,
  };
}

forEachDatabase("an OIDC provider end to end (oidc-provider issuer, the service over HTTP)", (db) => {
  let stack: Stack;
  let issuer: OidcIssuer;
  /** A second issuer, for the provider that goes down. */
  let downIssuer: OidcIssuer;
  /** When set, the service's token responses from providers pass through it (tampering). */
  let tokenRewrite: ((json: Record<string, unknown>) => Record<string, unknown>) | null = null;

  before(async () => {
    stack = await startStack({
      database: await db.fresh(),
      app: { callbackUrls: (url) => [`${url}/auth/github/callback`, `${url}/auth/forge/callback`] },
      config: async ({ url, gh }) => {
        const callbacks = ["corp", "closed"].map((n) => `${url}/auth/${n}/callback`);
        issuer = await startOidcIssuer({
          clients: [
            { clientId: "gatehouse", clientSecret: SECRET, redirectUris: callbacks },
            { clientId: "other", clientSecret: OTHER_SECRET, redirectUris: callbacks },
          ],
          accounts: ACCOUNTS,
        });
        downIssuer = await startOidcIssuer({
          clients: [{ clientId: "gatehouse", clientSecret: SECRET, redirectUris: [`${url}/auth/down/callback`] }],
          accounts: ACCOUNTS,
        });
        const forge: OAuth2ProviderSettings = {
          kind: "oauth2", name: "forge", displayName: "Forge", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
          scopes: ["read:user"], signup: undefined,
          authorizeUrl: `${gh.url}/login/oauth/authorize`, tokenUrl: `${gh.url}/login/oauth/access_token`, userinfoUrl: `${gh.url}/user`,
          issuer: `${gh.url}/login/oauth`, mapping: { ...OIDC_CLAIMS, id: "id", username: "login", avatar: "avatar_url" },
        };
        // Nothing ever listens there: the sign-in cannot even start (discovery fails).
        const dead = oidcSettings(issuer, "dead", { displayName: "Dead ID", issuer: await closedPortUrl() });
        return {
          providers: [
            oidcSettings(issuer, "corp"),
            dead,
            oidcSettings(issuer, "closed", { displayName: "Closed ID", signup: "invite" }),
            oidcSettings(downIssuer, "down", { displayName: "Down ID" }),
            forge,
          ],
          providerFetch: (input, init) => (tokenRewrite === null ? fetch(input, init) : rewritingJson("/token", tokenRewrite)(input, init)),
        };
      },
    });
  });
  after(async () => {
    await stack.close();
    await issuer.close();
    await downIssuer.close().catch(() => { /* closed by its test */ });
  });

  /** `GET /auth/{name}` (from `start`) → the issuer as `account` → the callback URL it sends the browser to (not followed). */
  async function authorize(browser: Browser, account: string, start = "/auth/corp", at = issuer, edit?: (url: URL) => void): Promise<URL> {
    const res = await browser.fetch(start);
    assert.equal(res.status, 302, await res.clone().text());
    const url = new URL(res.headers.get("location") ?? "");
    edit?.(url);
    return at.authorizeAs(url, account);
  }

  async function signIn(browser: Browser, account: string, name = "corp"): Promise<Response> {
    return browser.fetch((await authorize(browser, account, `/auth/${name}`)).toString());
  }

  const me = (browser: Browser) => signedInUser<UserJson>(browser);

  /** The JSON flow up to the issuer's redirect: the callback's parameters as `oauth-login` takes them. */
  async function jsonCallback(browser: Browser, account: string, name = "corp", at = issuer): Promise<Record<string, string>> {
    const res = await browser.fetch(`/api/users/oauth-login-url/${name}`);
    assert.equal(res.status, 200);
    const { auth_url } = (await res.json()) as { auth_url: string };
    const back = await at.authorizeAs(auth_url, account);
    return { oauth_provider: name, code: back.searchParams.get("code") ?? "", state: back.searchParams.get("state") ?? "", iss: back.searchParams.get("iss") ?? "" };
  }

  function jsonLogin(browser: Browser, body: Record<string, string>): Promise<Response> {
    return browser.fetch("/api/users/oauth-login", { method: "POST", json: body });
  }

  /** Users, identities and live sessions in the database. */
  async function rows(): Promise<{ users: number; identities: number; sessions: number }> {
    const page = await stack.gatehouse.users.list({ limit: 200 });
    const ids = page.users.map((u) => u.id);
    let sessions = 0;
    for (const id of ids) sessions += (await stack.gatehouse.users.listSessions(id)).length;
    return { users: page.total, identities: (await stack.gatehouse.store.identities.listForUsers(ids)).length, sessions };
  }

  /**
   * Clears pending transactions and notes the rows; the check it returns asserts no user, identity
   * or session more, and every transaction started since consumed.
   */
  async function markRows(): Promise<() => Promise<void>> {
    await countAndClearTransactions(stack.gatehouse);
    const before = await rows();
    return async () => {
      assert.deepEqual(await rows(), before, "nothing made");
      assert.equal(await countAndClearTransactions(stack.gatehouse), 0, "the transaction was consumed");
    };
  }

  /** Runs a failing attempt, then checks it left nothing (see `markRows`). */
  async function leavesNothing(attempt: () => Promise<void>): Promise<void> {
    const check = await markRows();
    await attempt();
    await check();
  }

  const passwordUser = (username: string) => signInWithPassword(stack, username);
  const postForm = postAccountForm;

  /** The account page's Link button for `name`, the issuer as `account`, and the callback in this browser. */
  async function linkWith(browser: Browser, account: string, name = "corp"): Promise<Response> {
    const start = await postForm(browser, `/account/link/${name}`);
    assert.equal(start.status, 303);
    const back = await issuer.authorizeAs(start.headers.get("location") ?? "", account);
    return browser.fetch(back.toString());
  }

  test("browser flow: /auth/corp → the issuer (state, S256, nonce; an HttpOnly binding cookie) → the callback → return_to, signed in as the issuer's subject", async () => {
    const browser = stack.browser();
    const start = await browser.fetch("/auth/corp?return_to=/x");
    assert.equal(start.status, 302);
    const auth = new URL(start.headers.get("location") ?? "");
    assert.equal(`${auth.origin}${auth.pathname}`, `${issuer.url}/auth`);
    const q = auth.searchParams;
    assert.equal(q.get("client_id"), "gatehouse");
    assert.equal(q.get("redirect_uri"), `${stack.url}/auth/corp/callback`);
    assert.equal(q.get("code_challenge_method"), "S256");
    assert.match(q.get("code_challenge") ?? "", /^[\w-]{43}$/);
    assert.match(q.get("state") ?? "", /^[\w-]{20,}$/);
    assert.match(q.get("nonce") ?? "", /^[\w-]{20,}$/);
    assert.equal(q.has("code_verifier"), false);
    const binding = start.headers.getSetCookie().find((c) => c.startsWith("gatehouse_oauth="));
    assert.match(binding ?? "", /;\s*HttpOnly/i);

    const callback = await issuer.authorizeAs(auth, "ada-sub");
    assert.equal(`${callback.origin}${callback.pathname}`, `${stack.url}/auth/corp/callback`);
    assert.equal(callback.searchParams.get("iss"), issuer.url);
    const done = await browser.fetch(callback.toString());
    assert.equal(done.status, 302);
    assert.equal(done.headers.get("location"), "/x");
    assert.ok(browser.cookies.has("gatehouse_session"));
    assert.equal(browser.cookies.has("gatehouse_oauth"), false, "the binding cookie is cleared");
    const user = await me(browser);
    assert.equal(user.username, "ada");
    assert.equal(user.email, "ada@example.org", "a verified email is taken");
    assert.deepEqual(user.identities?.map((i) => [i.provider, i.subject, i.email]), [["corp", "ada-sub", "ada@example.org"]]);

    const again = stack.browser();
    assert.equal((await signIn(again, "ada-sub")).status, 302);
    assert.equal((await me(again)).id, user.id, "the same (provider, sub) is the same user");
  });

  test("an unverified email at the issuer is not taken", async () => {
    const browser = stack.browser();
    await signIn(browser, "ben-sub");
    const user = await me(browser);
    assert.deepEqual([user.username, user.email, user.identities?.[0]?.subject, user.identities?.[0]?.email], ["ben", null, "ben-sub", null]);
  });

  test("two-step JSON flow: oauth-login-url → the issuer → POST /api/users/oauth-login {oauth_provider, code, state, iss} → a session", async () => {
    const browser = stack.browser();
    const params = await jsonCallback(browser, "json-sub");
    assert.equal(params.iss, issuer.url);
    const res = await jsonLogin(browser, params);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { user: UserJson; token: string };
    assert.equal(body.user.username, "json");
    const viaToken = await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${body.token}` } });
    const user = ((await viaToken.json()) as { user: UserJson }).user;
    assert.equal(user.id, body.user.id);
    assert.deepEqual(user.identities?.map((i) => [i.provider, i.subject]), [["corp", "json-sub"]]);
  });

  /** With the token responses rewritten, the JSON flow fails `invalid_id_token` naming `check`, and leaves nothing. */
  async function refusedToken(rewrite: (json: Record<string, unknown>) => Record<string, unknown>, check: string): Promise<void> {
    tokenRewrite = rewrite;
    try {
      await leavesNothing(async () => {
        const browser = stack.browser();
        const res = await jsonLogin(browser, await jsonCallback(browser, "fail-sub"));
        assert.equal(res.status, 400);
        const problem = (await res.json()) as Problem;
        assert.equal(problem.code, "invalid_id_token");
        assert.ok(problem.detail.includes(`(${check})`), problem.detail);
      });
    } finally {
      tokenRewrite = null;
    }
  }

  test("a tampered ID token (one byte of its signature) → invalid_id_token, nothing made, in both flows", async () => {
    const tampered = (j: Record<string, unknown>) => ({ ...j, id_token: tamper(String(j["id_token"]), 2) });
    tokenRewrite = tampered;
    try {
      await leavesNothing(async () => {
        const res = await signIn(stack.browser(), "fail-sub");
        assert.equal(res.headers.get("location"), "/login?error=invalid_id_token&provider=corp");
      });
    } finally {
      tokenRewrite = null;
    }
    await refusedToken(tampered, "signature");
  });

  test("an ID token the issuer made for another client (wrong aud) → invalid_id_token (aud), nothing made", async () => {
    // A real token of client `other`, from a sign-in of that client at the same issuer.
    let foreign = "";
    const other = createProvider(oidcSettings(issuer, "corp", { clientId: "other", clientSecret: OTHER_SECRET }), {
      fetch: rewritingJson("/token", (j) => { foreign = String(j["id_token"]); return j; }),
    });
    const redirectUri = `${stack.url}/auth/corp/callback`;
    const auth = await other.createAuthorization(redirectUri);
    await other.complete((await issuer.authorizeAs(auth.url, "fail-sub")).searchParams, { ...auth, redirectUri });
    assert.notEqual(foreign, "");
    await refusedToken((j) => ({ ...j, id_token: foreign }), "aud");
  });

  test("an ID token with another nonce (the issuer signed what it was asked) → invalid_id_token (nonce), nothing made", async () => {
    await leavesNothing(async () => {
      const browser = stack.browser();
      // The browser carries another nonce to the issuer; the service's transaction keeps its own.
      const callback = await authorize(browser, "fail-sub", "/auth/corp", issuer, (url) => url.searchParams.set("nonce", "a-nonce-of-somebody-else-0123456789"));
      const res = await browser.fetch(callback.toString());
      assert.equal(res.headers.get("location"), "/login?error=invalid_id_token&provider=corp");
    });
  });

  test("a replayed callback (the same state twice) → invalid_state the second time, no second session", async () => {
    const browser = stack.browser();
    const callback = await authorize(browser, "replay-sub");
    const binding = browser.cookies.get("gatehouse_oauth") ?? "";
    assert.equal((await browser.fetch(callback.toString())).headers.get("location"), "/");
    const before = await rows();
    const replay = await fetch(callback, { redirect: "manual", headers: { cookie: `gatehouse_oauth=${binding}` } });
    assert.equal(replay.headers.get("location"), "/login?error=invalid_state&provider=corp");
    assert.deepEqual(await rows(), before);
  });

  test("a callback opened in another browser (its own sign-in pending) → invalid_state, nothing made", async () => {
    await countAndClearTransactions(stack.gatehouse);
    const before = await rows();
    const victim = stack.browser();
    const callback = await authorize(victim, "fail-sub");
    // The attacker's browser has a sign-in of its own started: its binding, another state.
    const attacker = stack.browser();
    assert.equal((await attacker.fetch("/auth/corp")).status, 302);
    assert.equal((await attacker.fetch(callback.toString())).headers.get("location"), "/login?error=invalid_state&provider=corp");
    assert.equal(attacker.cookies.has("gatehouse_session"), false);
    assert.deepEqual(await rows(), before);
    assert.equal(await countAndClearTransactions(stack.gatehouse), 1, "the attacker's spent; only the victim's, never presented, is left");
  });

  test("a callback whose iss is not the issuer → issuer_mismatch; the transaction is spent, nothing made", async () => {
    await leavesNothing(async () => {
      const browser = stack.browser();
      const callback = await authorize(browser, "fail-sub");
      const binding = browser.cookies.get("gatehouse_oauth") ?? "";
      const altered = new URL(callback);
      altered.searchParams.set("iss", "https://attacker.example");
      assert.equal((await browser.fetch(altered.toString())).headers.get("location"), "/login?error=issuer_mismatch&provider=corp");
      // The genuine callback cannot complete it afterwards.
      const genuine = await fetch(callback, { redirect: "manual", headers: { cookie: `gatehouse_oauth=${binding}` } });
      assert.equal(genuine.headers.get("location"), "/login?error=invalid_state&provider=corp");
    });
  });

  test("a signing key rotated at the issuer between two sign-ins: the second succeeds after exactly one JWKS refetch", async () => {
    const first = stack.browser();
    await signIn(first, "rotate-sub");
    const user = await me(first);
    const fetched = issuer.jwksFetches();
    const oldKid = issuer.currentKid();
    issuer.rotateKeys();
    assert.notEqual(issuer.currentKid(), oldKid);
    const second = stack.browser();
    assert.equal((await signIn(second, "rotate-sub")).headers.get("location"), "/");
    assert.equal((await me(second)).id, user.id);
    assert.equal(issuer.jwksFetches(), fetched + 1, "one refetch for the unknown kid");
    await signIn(stack.browser(), "rotate-sub");
    assert.equal(issuer.jwksFetches(), fetched + 1, "the new keys are kept");
  });

  test("the provider down (issuer closed): the login page names it, the JSON flow answers problem+json 502, nothing made", async () => {
    const check = await markRows();
    const browser = stack.browser();
    const callback = await authorize(browser, "down-sub", "/auth/down", downIssuer);
    const api = stack.browser();
    const params = await jsonCallback(api, "down-sub", "down", downIssuer);
    await downIssuer.close();
    {
      const res = await browser.fetch(callback.toString());
      assert.equal(res.headers.get("location"), "/login?error=provider_unavailable&provider=down");
      const page = await (await stack.browser().fetch("/login?error=provider_unavailable&provider=down", { headers: { accept: "text/html" } })).text();
      assert.match(page, /could not reach the sign-in provider/);
      const json = await jsonLogin(api, params);
      assert.equal(json.status, 502);
      assert.match(json.headers.get("content-type") ?? "", /^application\/problem\+json/);
      assert.equal(((await json.json()) as Problem).code, "provider_unavailable");
    }
    await check();
    assert.doesNotMatch(stack.logs.join("\n"), new RegExp(SECRET), "the client secret is never logged");
  });

  test("a provider unreachable when the sign-in starts: the login page and the account page say so, the API answers 502, nothing made", async () => {
    await leavesNothing(async () => {
      const start = await stack.browser().fetch("/auth/dead?return_to=/x", { headers: { accept: "text/html" } });
      assert.equal(start.status, 302);
      assert.equal(start.headers.get("location"), "/login?error=provider_unavailable&provider=dead");
      const page = await (await stack.browser().fetch(start.headers.get("location") ?? "", { headers: { accept: "text/html" } })).text();
      assert.match(page, /could not reach the sign-in provider/);

      const api = await stack.browser().fetch("/api/users/oauth-login-url/dead");
      assert.equal(api.status, 502);
      assert.equal(((await api.json()) as Problem).code, "provider_unavailable");
    });
    const browser = await passwordUser("dora");
    await leavesNothing(async () => {
      const link = await postForm(browser, "/account/link/dead");
      assert.equal(link.status, 502);
      assert.match(await link.text(), /could not reach the sign-in provider/, "the account page, saying so");
    });
  });

  test("access denied at the issuer → /login?error=access_denied naming the provider, nothing made", async () => {
    await leavesNothing(async () => {
      const browser = stack.browser();
      const res = await browser.fetch("/auth/corp");
      const back = await issuer.authorizeAs(res.headers.get("location") ?? "", "stranger-sub", { deny: true });
      assert.equal((await browser.fetch(back.toString())).headers.get("location"), "/login?error=access_denied&provider=corp");
    });
    const page = await (await stack.browser().fetch("/login?error=access_denied&provider=corp", { headers: { accept: "text/html" } })).text();
    assert.match(page, /You cancelled the sign-in at Corp ID/);
  });

  test("linking: a password user links the issuer's identity from the account page, then signs in with it as the same user", async () => {
    const browser = await passwordUser("pat");
    const done = await linkWith(browser, "link-sub");
    assert.equal(done.headers.get("location"), "/account?saved=linked");
    const pat = await me(browser);
    assert.equal(pat.username, "pat");
    assert.deepEqual(pat.identities?.map((i) => [i.provider, i.subject]), [["corp", "link-sub"]]);
    const later = stack.browser();
    assert.equal((await signIn(later, "link-sub")).headers.get("location"), "/");
    assert.equal((await me(later)).id, pat.id);
  });

  test("linking an identity another account holds → identity_taken, nothing changed", async () => {
    const owner = stack.browser();
    await signIn(owner, "only-sub");
    const browser = await passwordUser("mallory");
    const before = await rows();
    const done = await linkWith(browser, "only-sub");
    assert.equal(done.headers.get("location"), "/account?error=identity_taken&provider=corp");
    assert.deepEqual(await rows(), before);
    assert.deepEqual((await me(browser)).identities, []);
    assert.deepEqual((await me(owner)).identities?.map((i) => i.subject), ["only-sub"]);
  });

  test("unlinking: allowed while another way in remains; the last way in is refused", async () => {
    const only = stack.browser();
    await signIn(only, "only-sub");
    const refused = await only.fetch("/api/users/me/identities/corp", { method: "DELETE" });
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as Problem).code, "last_sign_in_method");
    assert.equal((await postForm(only, "/account/unlink/corp")).status, 409, "the account page refuses it too");

    const pat = stack.browser();
    assert.equal((await pat.fetch("/api/users/login", { method: "POST", json: { username: "pat", password: TEST_PASSWORD } })).status, 200);
    assert.equal((await postForm(pat, "/account/unlink/corp")).status, 303);
    assert.deepEqual((await me(pat)).identities, []);
    // The identity is free again: signing in with it now makes a new account.
    const after = stack.browser();
    await signIn(after, "link-sub");
    assert.notEqual((await me(after)).id, (await me(pat)).id);
  });

  test("the same verified email at GitHub and at the issuer makes two accounts, until their owner links them", async () => {
    const gh = stack.browser();
    await signInWithGitHub(stack, gh, "alice");
    const oidc = stack.browser();
    await signIn(oidc, "alice-twin");
    const [a, b] = [await me(gh), await me(oidc)];
    assert.notEqual(a.id, b.id);
    assert.deepEqual([a.email, b.email], ["alice@example.com", "alice@example.com"]);

    assert.equal((await linkWith(gh, "alice-work")).headers.get("location"), "/account?saved=linked");
    const later = stack.browser();
    await signIn(later, "alice-work");
    assert.equal((await me(later)).id, a.id, "linked: the issuer's identity signs in to the GitHub account");
  });

  test("per-provider signup: `invite` on an OIDC provider refuses a new identity while GitHub stays open", async () => {
    await leavesNothing(async () => {
      assert.equal((await signIn(stack.browser(), "stranger-sub", "closed")).headers.get("location"), "/login?error=not_invited&provider=closed");
    });
    const gh = stack.browser();
    assert.equal((await signInWithGitHub(stack, gh, "carol")).headers.get("location"), "/");
    assert.equal((await me(gh)).github?.id, 1003);
  });

  test("a plain OAuth 2 provider (the GitHub emulator configured generically) signs in through /auth/forge and the emulator's consent page", async () => {
    stack.gh.setAutoApprove(null);
    const browser = stack.browser();
    const start = await browser.fetch("/auth/forge?return_to=/y");
    const auth = new URL(start.headers.get("location") ?? "");
    assert.equal(`${auth.origin}${auth.pathname}`, `${stack.gh.url}/login/oauth/authorize`);
    assert.equal(auth.searchParams.get("code_challenge_method"), "S256");
    assert.equal(auth.searchParams.has("nonce"), false, "no OpenID Connect here");
    const github = new EmulatorBrowser(stack.gh.url);
    const picker = await github.go(auth.toString());
    const consent = await github.click(picker.html, "bob");
    const authorizeButton = [...(forms(consent.html)[0]?.buttons.keys() ?? [])].find((b) => b.startsWith("Authorize"));
    assert.ok(authorizeButton !== undefined, "the consent page has an Authorize button");
    const approved = await github.click(consent.html, authorizeButton);
    assert.equal(approved.location?.pathname, "/auth/forge/callback");
    const done = await browser.fetch(approved.location.toString());
    assert.equal(done.headers.get("location"), "/y");
    const user = await me(browser);
    assert.deepEqual(user.identities?.map((i) => [i.provider, i.subject, i.username]), [["forge", "1002", "bob"]]);
    assert.equal(user.github, null, "a generic provider, not GitHub's own identity");
    assert.equal(user.email, null, "GitHub's /user says nothing of verification");
  });

  describe("the reverse policy: GitHub by invitation, the OIDC provider open", () => {
    let closedStack: Stack;
    let openIssuer: OidcIssuer;
    before(async () => {
      closedStack = await startStack({
        database: await db.fresh(),
        config: async ({ url }) => {
          openIssuer = await startOidcIssuer({
            clients: [{ clientId: "gatehouse", clientSecret: SECRET, redirectUris: [`${url}/auth/corp/callback`] }],
            accounts: ACCOUNTS,
          });
          return { policy: { signup: "invite" }, providers: [oidcSettings(openIssuer, "corp", { signup: "open" })] };
        },
      });
    });
    after(async () => {
      await closedStack.close();
      await openIssuer.close();
    });

    test("a new GitHub user is refused (not_invited); a new identity at the OIDC provider makes an account", async () => {
      const gh = closedStack.browser();
      assert.equal((await signInWithGitHub(closedStack, gh, "alice")).headers.get("location"), "/login?error=not_invited");
      const browser = closedStack.browser();
      const res = await browser.fetch("/auth/corp");
      const back = await openIssuer.authorizeAs(res.headers.get("location") ?? "", "invited-sub");
      assert.equal((await browser.fetch(back.toString())).headers.get("location"), "/");
      assert.equal((await closedStack.gatehouse.users.list()).total, 1);
    });
  });
});

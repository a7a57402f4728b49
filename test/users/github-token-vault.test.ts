import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { forEachDatabase } from "../store/databases.js";
import { CLIENT_ID, CLIENT_SECRET, signInWithGitHub, startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { GitHubOAuth } from "../../src/github/index.js";
import { fromGitHubOAuth, Users, UsersError } from "../../src/users/index.js";

const HOUR = 3_600_000;

forEachDatabase("stored GitHub tokens and their refresh", (db) => {
  let stack: Stack;
  let clock = Date.now();
  const secret = randomBytes(32);
  before(async () => {
    stack = await startStack({
      database: await db.fresh(),
      app: { expiringTokens: true },
      emulatorNow: () => clock,
      config: { now: () => clock },
    });
  });
  after(async () => { await stack.close(); });

  function refreshRequests(): number {
    return stack.gh.requests().filter((r) => r.route === "POST /login/oauth/access_token" && typeof r.body === "object" && r.body !== null &&
      "grant_type" in r.body && r.body.grant_type === "refresh_token").length;
  }

  async function worksAtGitHub(token: string): Promise<boolean> {
    return (await fetch(`${stack.gh.url}/user`, { headers: { authorization: `Bearer ${token}`, "user-agent": "test" } })).status === 200;
  }

  test("tokens are stored sealed (AES-256-GCM) and handed out while valid without a refresh", async () => {
    await signInWithGitHub(stack, stack.browser(), "alice");
    const alice = await stack.gatehouse.users.getByUsername("alice");
    const token = await stack.gatehouse.users.getGitHubToken(alice.id);
    assert.ok(await worksAtGitHub(token));
    const row = await stack.gatehouse.store.githubTokens.find(alice.id);
    assert.ok(row?.access_token.startsWith("v1."));
    assert.equal(row?.access_token.includes(token), false);
    assert.ok(row?.refresh_token !== null && !row?.refresh_token?.startsWith("ghr_"));
    assert.equal(refreshRequests(), 0);
  });

  test("an expiring token is refreshed once for concurrent callers, and the rotated pair is stored", async () => {
    const alice = await stack.gatehouse.users.getByUsername("alice");
    const old = await stack.gatehouse.users.getGitHubToken(alice.id);
    clock += 8 * HOUR;
    const tokens = await Promise.all(Array.from({ length: 5 }, () => stack.gatehouse.users.getGitHubToken(alice.id)));
    assert.equal(new Set(tokens).size, 1);
    assert.notEqual(tokens[0], old);
    assert.equal(refreshRequests(), 1);
    assert.ok(await worksAtGitHub(tokens[0] ?? ""));
    assert.equal(await worksAtGitHub(old), false, "GitHub rotated the pair");
    assert.equal(await stack.gatehouse.users.getGitHubToken(alice.id), tokens[0]);
  });

  test("two instances refreshing at once make one refresh (DB lease + compare-and-swap)", async () => {
    const alice = await stack.gatehouse.users.getByUsername("alice");
    const github = fromGitHubOAuth(new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: stack.gh.url, apiUrl: stack.gh.url, now: () => clock }));
    // A second instance: its own in-process map, the same database. It needs the same secret to open
    // the sealed tokens, so both instances here use one explicit secret.
    const first = new Users({ store: stack.gatehouse.store, github, secret, publicUrl: stack.url, now: () => clock });
    const second = new Users({ store: stack.gatehouse.store, github, secret, publicUrl: stack.url, now: () => clock });
    // Re-seal alice's tokens under the shared secret by signing her in through the first instance.
    const begin = await first.beginGitHubSignIn("/");
    stack.gh.setAutoApprove("alice");
    const cb = new URL((await fetch(begin.authorizationUrl, { redirect: "manual" })).headers.get("location") ?? "");
    await first.completeGitHubSignIn(begin.binding, cb.searchParams);
    const before = refreshRequests();
    clock += 8 * HOUR;
    const [a, b] = await Promise.all([first.getGitHubToken(alice.id), second.getGitHubToken(alice.id)]);
    assert.equal(a, b);
    assert.equal(refreshRequests() - before, 1);
  });

  test("bad_refresh_token marks the link as needing a new sign-in, without asking GitHub again", async () => {
    await signInWithGitHub(stack, stack.browser(), "carol");
    const carol = await stack.gatehouse.users.getByUsername("carol");
    stack.gh.revokeTokens("carol");
    clock += 8 * HOUR;
    await assert.rejects(stack.gatehouse.users.getGitHubToken(carol.id), (e) => e instanceof UsersError && e.code === "github_reauth_required");
    const before = refreshRequests();
    await assert.rejects(stack.gatehouse.users.getGitHubToken(carol.id), (e) => e instanceof UsersError && e.code === "github_reauth_required");
    assert.equal(refreshRequests(), before);
    // A new sign-in stores a fresh pair and clears the mark.
    await signInWithGitHub(stack, stack.browser(), "carol");
    assert.ok(await worksAtGitHub(await stack.gatehouse.users.getGitHubToken(carol.id)));
  });

  test("a disabled user's stored GitHub token is not handed out until the account is enabled again", async () => {
    await signInWithGitHub(stack, stack.browser(), "bob");
    const bob = await stack.gatehouse.users.getByUsername("bob");
    assert.ok(await worksAtGitHub(await stack.gatehouse.users.getGitHubToken(bob.id)));
    await stack.gatehouse.users.update("bob", { disabled: true });
    await assert.rejects(stack.gatehouse.users.getGitHubToken(bob.id), (e) => e instanceof UsersError && e.code === "account_disabled");
    await stack.gatehouse.users.update("bob", { disabled: false });
    assert.ok(await worksAtGitHub(await stack.gatehouse.users.getGitHubToken(bob.id)));
  });

  test("tokens sealed under another secret (GATEHOUSE_SECRET changed) give github_reauth_required, not a crypto error", async () => {
    await signInWithGitHub(stack, stack.browser(), "bob");
    const bob = await stack.gatehouse.users.getByUsername("bob");
    const github = fromGitHubOAuth(new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: stack.gh.url, apiUrl: stack.gh.url, now: () => clock }));
    const rotated = new Users({ store: stack.gatehouse.store, github, secret: randomBytes(32), publicUrl: stack.url, now: () => clock });
    await assert.rejects(rotated.getGitHubToken(bob.id), (e) => e instanceof UsersError && e.code === "github_reauth_required");
    // The link is not marked dead: an instance with the right secret still reads it.
    assert.ok(await worksAtGitHub(await stack.gatehouse.users.getGitHubToken(bob.id)));
  });

  test("a user without a GitHub link gets no_github_link", async () => {
    const u = await stack.gatehouse.users.create({ username: "local-only" });
    await assert.rejects(stack.gatehouse.users.getGitHubToken(u.id), (e) => e instanceof UsersError && e.code === "no_github_link");
  });
});

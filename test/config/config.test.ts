import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, loadOrCreateLocalSecret } from "../../src/config.js";

test("no configuration at all gives the local defaults: SQLite file, port 3000, no GitHub app (emulator)", () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, "sqlite:./gatehouse.db");
  assert.equal(c.publicUrl, "http://127.0.0.1:3000");
  assert.equal(c.publicUrlExplicit, false, "the default follows the port actually bound");
  assert.equal(c.github, undefined);
  assert.equal(c.secret, undefined);
  assert.equal(c.signup, "open");
  assert.equal(c.trustProxy, 0);
});

test("every variable is read and typed", () => {
  const hex = "ab".repeat(32);
  const c = loadConfig({
    GATEHOUSE_PORT: "8080", GATEHOUSE_PUBLIC_URL: "https://auth.example.com/", GATEHOUSE_DATABASE_URL: "postgres://u@db/gh",
    GATEHOUSE_GITHUB_CLIENT_ID: "Ov23li", GATEHOUSE_GITHUB_CLIENT_SECRET: "s", GATEHOUSE_GITHUB_HOST: "ghe.example.com",
    GATEHOUSE_GITHUB_WEB_URL: "http://127.0.0.1:9000", GATEHOUSE_GITHUB_API_URL: "http://127.0.0.1:9000/api/v3",
    GATEHOUSE_GITHUB_SCOPES: "read:user, user:email read:org", GATEHOUSE_SECRET: hex, GATEHOUSE_SIGNUP: "invite",
    GATEHOUSE_GITHUB_ORGS: "acme,octo-org", GATEHOUSE_GITHUB_TEAMS: "acme/devs", GATEHOUSE_ADMINS: "octocat",
    GATEHOUSE_TRUST_PROXY: "true",
  });
  assert.equal(c.port, 8080);
  assert.equal(c.publicUrl, "https://auth.example.com");
  assert.equal(c.publicUrlExplicit, true);
  assert.deepEqual(c.github, { clientId: "Ov23li", clientSecret: "s", host: "ghe.example.com", webUrl: "http://127.0.0.1:9000", apiUrl: "http://127.0.0.1:9000/api/v3" });
  assert.deepEqual(c.scopes, ["read:user", "user:email", "read:org"]);
  assert.equal(c.secret?.length, 32);
  assert.deepEqual([c.signup, c.orgs, c.teams, c.admins, c.trustProxy], ["invite", ["acme", "octo-org"], ["acme/devs"], ["octocat"], 1]);
  assert.equal(loadConfig({ GATEHOUSE_SECRET: Buffer.alloc(48, 7).toString("base64") }).secret?.length, 48);
});

test("GATEHOUSE_PUBLIC_URL may carry a base path (Gatehouse mounted under it); GATEHOUSE_RETURN_TO_HOSTS lists hosts", () => {
  const c = loadConfig({ GATEHOUSE_PUBLIC_URL: "https://example.com/auth-service/", GATEHOUSE_RETURN_TO_HOSTS: "wiki.example.com, Grafana.example.com:8443" });
  assert.equal(c.publicUrl, "https://example.com/auth-service");
  assert.deepEqual(c.returnToHosts, ["wiki.example.com", "grafana.example.com:8443"]);
  assert.deepEqual(loadConfig({}).returnToHosts, []);
});

test("GATEHOUSE_APP_ORIGINS lists front ends; GATEHOUSE_GITHUB_CALLBACK_URL may name a route of one of them or of the public origin", () => {
  const c = loadConfig({ GATEHOUSE_PUBLIC_URL: "https://auth.example.com", GATEHOUSE_APP_ORIGINS: "https://app.example.com, https://admin.example.com/",
    GATEHOUSE_GITHUB_CALLBACK_URL: "https://app.example.com/auth/github" });
  assert.deepEqual(c.appOrigins, ["https://app.example.com", "https://admin.example.com"]);
  assert.equal(c.githubCallbackUrl, "https://app.example.com/auth/github");
  assert.equal(loadConfig({ GATEHOUSE_PUBLIC_URL: "https://auth.example.com", GATEHOUSE_GITHUB_CALLBACK_URL: "https://auth.example.com/spa/auth/github" }).githubCallbackUrl,
    "https://auth.example.com/spa/auth/github");
  assert.deepEqual([loadConfig({}).appOrigins, loadConfig({}).githubCallbackUrl], [[], undefined]);
});

test("a bad or missing value stops the start with a message naming the variable, never its secret value", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ GATEHOUSE_PORT: "70000" }, "GATEHOUSE_PORT"],
    [{ GATEHOUSE_PORT: "abc" }, "GATEHOUSE_PORT"],
    [{ GATEHOUSE_PUBLIC_URL: "not a url at all" }, "GATEHOUSE_PUBLIC_URL"],
    [{ GATEHOUSE_PUBLIC_URL: "https://x.example/app?x=1" }, "GATEHOUSE_PUBLIC_URL"],
    [{ GATEHOUSE_RETURN_TO_HOSTS: "app.example.com,https://evil.example/" }, "GATEHOUSE_RETURN_TO_HOSTS"],
    [{ GATEHOUSE_DATABASE_URL: "mysql://x" }, "GATEHOUSE_DATABASE_URL"],
    [{ GATEHOUSE_GITHUB_CLIENT_ID: "x" }, "GATEHOUSE_GITHUB_CLIENT_SECRET"],
    [{ GATEHOUSE_GITHUB_CLIENT_SECRET: "topsecretvalue" }, "GATEHOUSE_GITHUB_CLIENT_ID"],
    [{ GATEHOUSE_GITHUB_HOST: "https://x/" }, "GATEHOUSE_GITHUB_HOST"],
    [{ GATEHOUSE_GITHUB_API_URL: "ftp://x" }, "GATEHOUSE_GITHUB_API_URL"],
    [{ GATEHOUSE_GITHUB_SCOPES: "repo;drop" }, "GATEHOUSE_GITHUB_SCOPES"],
    [{ GATEHOUSE_SECRET: "tooshortsecretvalue1" }, "GATEHOUSE_SECRET"],
    [{ GATEHOUSE_SIGNUP: "closed" }, "GATEHOUSE_SIGNUP"],
    [{ GATEHOUSE_GITHUB_ORGS: "a b/c" }, "GATEHOUSE_GITHUB_ORGS"],
    [{ GATEHOUSE_GITHUB_TEAMS: "justateam" }, "GATEHOUSE_GITHUB_TEAMS"],
    [{ GATEHOUSE_ADMINS: "-bad-" }, "GATEHOUSE_ADMINS"],
    [{ GATEHOUSE_TRUST_PROXY: "yes" }, "GATEHOUSE_TRUST_PROXY"],
    [{ GATEHOUSE_APP_ORIGINS: "https://app.example.com/spa" }, "GATEHOUSE_APP_ORIGINS"],
    [{ GATEHOUSE_APP_ORIGINS: "ftp://app.example.com" }, "GATEHOUSE_APP_ORIGINS"],
    [{ GATEHOUSE_GITHUB_CALLBACK_URL: "https://evil.example/auth/github" }, "GATEHOUSE_GITHUB_CALLBACK_URL"],
    [{ GATEHOUSE_PUBLIC_URL: "https://auth.example.com", GATEHOUSE_APP_ORIGINS: "https://app.example.com", GATEHOUSE_GITHUB_CALLBACK_URL: "https://other.example.com/cb" }, "GATEHOUSE_GITHUB_CALLBACK_URL"],
    [{ NODE_ENV: "production", GATEHOUSE_GITHUB_CLIENT_ID: "x", GATEHOUSE_GITHUB_CLIENT_SECRET: "y" }, "GATEHOUSE_SECRET"],
    [{ NODE_ENV: "production", GATEHOUSE_SECRET: "ab".repeat(32) }, "GATEHOUSE_GITHUB_CLIENT_ID"],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (e) => {
      assert.ok(e instanceof ConfigError, JSON.stringify(env));
      assert.equal(e.variable, variable);
      assert.ok(e.message.startsWith(`${variable}: `));
      for (const value of Object.values(env)) if (value.length > 12) assert.equal(e.message.includes(value), false, `value echoed: ${e.message}`);
      return true;
    });
  }
});

test("the local secret is generated once, kept with mode 0600, and reused", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-secret-"));
  try {
    const data = join(dir, "data");
    const first = loadOrCreateLocalSecret(data);
    assert.equal(first.created, true);
    assert.equal(statSync(first.path).mode & 0o777, 0o600);
    assert.equal(readFileSync(first.path, "utf8").trim().length, 64);
    const again = loadOrCreateLocalSecret(data);
    assert.equal(again.created, false);
    assert.deepEqual(again.secret, first.secret);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("processes that create the local secret at the same moment all end up with the same one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-secret-race-"));
  try {
    const data = join(dir, "data");
    const config = new URL("../../src/config.ts", import.meta.url).href;
    // Every process loads first, then waits for the same instant, so the calls really overlap.
    const startAt = Date.now() + 2500;
    const script = `const { loadOrCreateLocalSecret } = await import(${JSON.stringify(config)});
      while (Date.now() < ${startAt});
      process.stdout.write(Buffer.from(loadOrCreateLocalSecret(${JSON.stringify(data)}).secret).toString("hex"));`;
    const run = () => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("close", (code) => resolve({ code, out, err }));
    });
    const results = await Promise.all(Array.from({ length: 6 }, run));
    for (const r of results) assert.equal(r.code, 0, r.err);
    assert.equal(new Set(results.map((r) => r.out)).size, 1, "one secret for everyone");
    assert.equal(results[0]?.out, readFileSync(join(data, "secret"), "utf8").trim());
    assert.deepEqual(readdirSync(data), ["secret"], "no temporary file left behind");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("GATEHOUSE_OAUTH_PROVIDERS: generic providers in oauthProviders, its github entry as the GitHub app", () => {
  assert.deepEqual(loadConfig({}).oauthProviders, []);
  const c = loadConfig({
    GATEHOUSE_SIGNUP: "invite",
    GATEHOUSE_GITHUB_WEB_URL: "http://127.0.0.1:9000",
    GATEHOUSE_OAUTH_PROVIDERS: JSON.stringify([
      { name: "github", client_id: "Ov23li", secret: "gh-secret", host: "ghe.example.com" },
      { name: "gitlab", client_id: "gl", secret: "gl-secret", signup: "open" },
      { name: "google", client_id: "go", secret: "go-secret" },
    ]),
  });
  assert.deepEqual(c.github, { clientId: "Ov23li", clientSecret: "gh-secret", host: "ghe.example.com", webUrl: "http://127.0.0.1:9000" });
  assert.deepEqual(c.oauthProviders.map((p) => [p.name, p.kind, p.signup]), [["gitlab", "oidc", "open"], ["google", "oidc", "invite"]]);
  // The list's GitHub app satisfies production's requirement.
  const production = loadConfig({ NODE_ENV: "production", GATEHOUSE_SECRET: "ab".repeat(32), GATEHOUSE_OAUTH_PROVIDERS: '[{"name":"github","client_id":"a","secret":"b"}]' });
  assert.equal(production.github?.clientId, "a");
});

test("GATEHOUSE_OAUTH_PROVIDERS: errors name the variable, the entry and the field, never a secret", () => {
  assert.throws(() => loadConfig({ GATEHOUSE_OAUTH_PROVIDERS: '[{"name":"gitlab","secret":"very-secret-value"}]' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.variable, "GATEHOUSE_OAUTH_PROVIDERS");
    assert.equal(err.code, "missing_value");
    assert.equal(err.message, 'GATEHOUSE_OAUTH_PROVIDERS: entry 0 ("gitlab"): client_id is required');
    return true;
  });
  assert.throws(() => loadConfig({ GATEHOUSE_OAUTH_PROVIDERS: '[{"name":"gitlab","secret":"very-secret-value"' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError && err.code === "invalid_value" && !err.message.includes("very-secret-value"), String(err));
    return true;
  });
  // GitHub configured twice.
  assert.throws(() => loadConfig({
    GATEHOUSE_GITHUB_CLIENT_ID: "a", GATEHOUSE_GITHUB_CLIENT_SECRET: "b", GATEHOUSE_OAUTH_PROVIDERS: '[{"name":"github","client_id":"c","secret":"d"}]',
  }), { name: "ConfigError", variable: "GATEHOUSE_OAUTH_PROVIDERS", message: /GATEHOUSE_GITHUB_CLIENT_ID: keep one/ });
  assert.throws(() => loadConfig({
    GATEHOUSE_GITHUB_HOST: "ghe.example.com", GATEHOUSE_OAUTH_PROVIDERS: '[{"name":"github","client_id":"c","secret":"d","host":"ghe2.example.com"}]',
  }), { name: "ConfigError", variable: "GATEHOUSE_OAUTH_PROVIDERS", message: /GATEHOUSE_GITHUB_HOST: keep one/ });
});

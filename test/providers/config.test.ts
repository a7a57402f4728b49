/** `GATEHOUSE_OAUTH_PROVIDERS` parsing: presets, both kinds, GitHub's entry, and errors that say where without showing a secret. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { OIDC_CLAIMS, parseProviderList, ProviderConfigError, type ProviderConfigErrorCode } from "../../src/providers/index.js";

const SECRET = "s3cr3t-value-never-shown";
const open = { signup: "open" as const };
const parse = (list: unknown) => parseProviderList(JSON.stringify(list), open);

function fails(list: unknown, code: ProviderConfigErrorCode, message: RegExp | string): void {
  let caught: unknown;
  try {
    typeof list === "string" ? parseProviderList(list, open) : parse(list);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ProviderConfigError, `expected a ProviderConfigError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === "string") assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  assert.ok(!caught.message.includes(SECRET), `the message shows the secret: ${caught.message}`);
}

describe("presets", () => {
  test("gitlab: gitlab.com, openid profile email, GitLab; a self-managed GitLab by its issuer", () => {
    const { providers } = parse([
      { name: "gitlab", client_id: "a", secret: SECRET },
      { name: "work-gitlab", client_id: "b", secret: SECRET, issuer: "https://git.example.com", display_name: "Work GitLab" },
    ]);
    assert.deepEqual(providers[0], {
      kind: "oidc", name: "gitlab", displayName: "GitLab", clientId: "a", clientSecret: SECRET,
      scopes: ["openid", "profile", "email"], signup: "open", issuer: "https://gitlab.com",
    });
    assert.equal(providers[1]?.kind === "oidc" && providers[1].issuer, "https://git.example.com");
    const selfManaged = parse([{ name: "gitlab", client_id: "a", secret: SECRET, issuer: "https://gitlab.example.org" }]).providers[0];
    assert.equal(selfManaged?.kind === "oidc" && selfManaged.issuer, "https://gitlab.example.org");
    assert.equal(selfManaged?.displayName, "GitLab");
  });

  test("google: accounts.google.com, openid email profile, Google", () => {
    const [google] = parse([{ name: "google", client_id: "a.apps.googleusercontent.com", secret: SECRET, signup: "invite" }]).providers;
    assert.deepEqual(google, {
      kind: "oidc", name: "google", displayName: "Google", clientId: "a.apps.googleusercontent.com", clientSecret: SECRET,
      scopes: ["openid", "email", "profile"], signup: "invite", issuer: "https://accounts.google.com",
    });
  });
});

describe("any provider", () => {
  test("an OpenID provider by its issuer; scopes as a string; the default signup; token_auth", () => {
    const [p] = parse([{ name: "keycloak", client_id: "c", secret: SECRET, issuer: "https://id.example.com/realms/x", scopes: "openid email", token_auth: "client_secret_post" }]).providers;
    assert.deepEqual(p, {
      kind: "oidc", name: "keycloak", displayName: "keycloak", clientId: "c", clientSecret: SECRET, scopes: ["openid", "email"],
      signup: "open", tokenAuth: "client_secret_post", issuer: "https://id.example.com/realms/x",
    });
  });

  test("a plain OAuth 2 provider by its endpoints, with a mapping over the OIDC claim names", () => {
    const [p] = parse([{
      name: "forge", client_id: "c", secret: SECRET, authorize_url: "http://127.0.0.1:9000/login/oauth/authorize",
      token_url: "http://127.0.0.1:9000/login/oauth/access_token", userinfo_url: "http://127.0.0.1:9000/user",
      issuer: "http://127.0.0.1:9000/login/oauth", scopes: ["read:user"], mapping: { id: "id", username: "login", avatar: "avatar_url" },
    }]).providers;
    assert.deepEqual(p, {
      kind: "oauth2", name: "forge", displayName: "forge", clientId: "c", clientSecret: SECRET, scopes: ["read:user"], signup: "open",
      authorizeUrl: "http://127.0.0.1:9000/login/oauth/authorize", tokenUrl: "http://127.0.0.1:9000/login/oauth/access_token",
      userinfoUrl: "http://127.0.0.1:9000/user", issuer: "http://127.0.0.1:9000/login/oauth",
      mapping: { ...OIDC_CLAIMS, id: "id", username: "login", avatar: "avatar_url" },
    });
  });

  test("github configures GitHub's app, apart from the generic providers; the seed's token_url is accepted", () => {
    const list = parse([
      { name: "github", client_id: "Ov23li", secret: SECRET, token_url: "https://github.com/login/oauth/access_token" },
      { name: "gitlab", client_id: "a", secret: SECRET },
    ]);
    assert.deepEqual(list.github, { clientId: "Ov23li", clientSecret: SECRET });
    assert.deepEqual(list.providers.map((p) => p.name), ["gitlab"]);
    assert.deepEqual(parse([{ name: "github", client_id: "x", secret: SECRET, host: "ghe.example.com" }]).github, { clientId: "x", clientSecret: SECRET, host: "ghe.example.com" });
    assert.deepEqual(parse([]), { github: undefined, providers: [] });
  });
});

test("callback_url: a front end's route for the provider to return to, on either kind; not an http(s) URL is refused", () => {
  const { providers } = parse([
    { name: "gitlab", client_id: "a", secret: SECRET, callback_url: "https://app.example.com/auth/gitlab" },
    { name: "forge", client_id: "b", secret: SECRET, authorize_url: "https://f.example/a", token_url: "https://f.example/t", userinfo_url: "https://f.example/u", callback_url: "http://127.0.0.1:5173/auth/forge" },
    { name: "corp", client_id: "c", secret: SECRET, issuer: "https://id.example" },
  ]);
  assert.deepEqual(providers.map((p) => p.callbackUrl), ["https://app.example.com/auth/gitlab", "http://127.0.0.1:5173/auth/forge", undefined]);
  fails([{ name: "gitlab", client_id: "a", secret: SECRET, callback_url: "/auth/gitlab" }], "invalid_value",
    'entry 0 ("gitlab"): callback_url must be an absolute http:// or https:// URL (a front end\'s route)');
  fails([{ name: "gitlab", client_id: "a", secret: SECRET, callback_url: "javascript:alert(1)" }], "invalid_value", /callback_url must be an absolute/);
});

describe("errors name the entry and the field, never the secret", () => {
  test("the list itself", () => {
    fails(`[{"name":"gitlab","secret":"${SECRET}"`, "invalid_json", /not JSON/);
    fails({ name: "gitlab" }, "invalid_json", /JSON array/);
    fails(["gitlab"], "invalid_json", "entry 0: must be an object {name, client_id, secret, ...}");
  });

  test("required fields", () => {
    fails([{ name: "gitlab", secret: SECRET }], "missing_value", 'entry 0 ("gitlab"): client_id is required');
    fails([{ name: "google", client_id: "a", secret: SECRET }, { name: "gitlab", client_id: "b" }], "missing_value", 'entry 1 ("gitlab"): secret is required');
    fails([{ client_id: "a", secret: SECRET }], "missing_value", "entry 0: name is required");
    fails([{ name: "corp", client_id: "a", secret: SECRET }], "missing_value", /entry 0 \("corp"\): issuer is required \(or authorize_url/);
    fails([{ name: "forge", client_id: "a", secret: SECRET, authorize_url: "https://f.example/a", token_url: "https://f.example/t" }], "missing_value", 'entry 0 ("forge"): userinfo_url is required');
    fails([{ name: "github", secret: SECRET }], "missing_value", 'entry 0 ("github"): client_id is required');
  });

  test("names: form, duplicates, reserved", () => {
    fails([{ name: "GitLab", client_id: "a", secret: SECRET }], "invalid_value", /entry 0 \("GitLab"\): name must be 1-32 of a-z/);
    fails([{ name: "a".repeat(33), client_id: "a", secret: SECRET }], "invalid_value", /name must be 1-32/);
    fails([{ name: "gitlab", client_id: "a", secret: SECRET }, { name: "gitlab", client_id: "b", secret: SECRET }], "duplicate_name", 'entry 1 ("gitlab"): name is used by an earlier entry');
    for (const name of ["check", "callback", "device", "login", "me"]) {
      fails([{ name, client_id: "a", secret: SECRET, issuer: "https://id.example.com" }], "reserved_name", `entry 0 ("${name}"): name is reserved (a route or word of the service)`);
    }
  });

  test("URLs must be https (http only on the loopback interface)", () => {
    fails([{ name: "corp", client_id: "a", secret: SECRET, issuer: "http://id.example.com" }], "invalid_value", /entry 0 \("corp"\): issuer must be an https:\/\/ URL/);
    fails([{ name: "corp", client_id: "a", secret: SECRET, issuer: "not a url" }], "invalid_value", /issuer must be an absolute URL/);
    fails([{ name: "corp", client_id: "a", secret: SECRET, issuer: "https://user:pw@id.example.com" }], "invalid_value", /issuer must not carry credentials/);
    for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]) {
      assert.equal(parse([{ name: "corp", client_id: "a", secret: SECRET, issuer: `http://${host}` }]).providers.length, 1);
    }
    fails([{ name: "forge", client_id: "a", secret: SECRET, authorize_url: "https://f.example/a", token_url: "http://f.example/t", userinfo_url: "https://f.example/u" }],
      "invalid_value", /entry 0 \("forge"\): token_url must be an https/);
  });

  test("wrong types and unknown fields", () => {
    fails([{ name: "gitlab", client_id: 12, secret: SECRET }], "invalid_value", 'entry 0 ("gitlab"): client_id must be a string');
    fails([{ name: "gitlab", client_id: "a", secret: SECRET, scopes: [1] }], "invalid_value", /scopes must be an array of strings/);
    fails([{ name: "corp", client_id: "a", secret: SECRET, issuer: "https://id.example.com", scopes: "email" }], "invalid_value", /scopes must include "openid"/);
    fails([{ name: "gitlab", client_id: "a", secret: SECRET, signup: "maybe" }], "invalid_value", /signup must be "open" or "invite"/);
    fails([{ name: "gitlab", client_id: "a", secret: SECRET, client_secret: SECRET }], "invalid_value", /client_secret is not a field of an OpenID Connect provider/);
    fails([{ name: "gitlab", client_id: "a", secret: SECRET, authorize_url: "https://gitlab.com/oauth/authorize" }], "invalid_value", /authorize_url is not for the gitlab preset/);
    fails([{ name: "forge", client_id: "a", secret: SECRET, authorize_url: "https://f.example/a", token_url: "https://f.example/t", userinfo_url: "https://f.example/u", mapping: { uid: "id" } }],
      "invalid_value", /entry 0 \("forge"\): mapping.uid is not one of id, username/);
    fails([{ name: "github", client_id: "a", secret: SECRET, token_url: "https://evil.example/login/oauth/access_token" }], "invalid_value", /token_url must be https:\/\/github.com/);
    fails([{ name: "github", client_id: "a", secret: SECRET, issuer: "https://github.com" }], "invalid_value", /issuer is not a field of the github entry/);
  });

  test("a secret of the wrong type is refused without its value", () => {
    fails([{ name: "gitlab", client_id: "a", secret: [SECRET] }], "invalid_value", 'entry 0 ("gitlab"): secret must be a string');
  });
});

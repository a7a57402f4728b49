/** OAuth scopes as GitHub documents them: the full list, implied scopes, redundant ones dropped. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { acceptedScopesHeader, hasAnyScope, normalizeScopes } from "../../src/emulator/scopes.js";

test("normalisation drops a scope another requested scope implies, unknown scopes and duplicates", () => {
  assert.deepEqual(normalizeScopes(["user", "gist", "user:email"]), ["user", "gist"]);
  assert.deepEqual(normalizeScopes(["repo", "repo:status", "public_repo", "nonsense", "repo"]), ["repo"]);
  assert.deepEqual(normalizeScopes(["write:discussion", "read:discussion"]), ["write:discussion"]);
  assert.deepEqual(normalizeScopes(["admin:ssh_signing_key", "read:ssh_signing_key"]), ["admin:ssh_signing_key"]);
  assert.deepEqual(normalizeScopes(["admin:enterprise", "read:enterprise", "manage_runners:org", "codespace"]), ["admin:enterprise", "manage_runners:org", "codespace"]);
});

test("implied scopes let a call through: user → read:user and user:email; admin:org → read:org", () => {
  assert.equal(hasAnyScope(["user"], ["read:user"]), true);
  assert.equal(hasAnyScope(["user"], ["user:email"]), true);
  assert.equal(hasAnyScope(["admin:org"], ["read:org"]), true);
  assert.equal(hasAnyScope(["read:user"], ["user:email"]), false);
});

test("X-Accepted-OAuth-Scopes lists the accepted scopes and those implying them, sorted", () => {
  assert.equal(acceptedScopesHeader(["read:org"]), "admin:org, read:org, write:org");
  assert.equal(acceptedScopesHeader(["user", "user:email"]), "user, user:email");
});

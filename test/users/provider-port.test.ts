/** The domain's view of provider failures, and usernames made from a provider's handles. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProviderError } from "../../src/providers/index.js";
import type { ProviderErrorCode } from "../../src/providers/index.js";
import { fromProviderFailure } from "../../src/users/provider-port.js";
import { usernameFrom } from "../../src/users/free-username.js";
import { UsersError } from "../../src/users/index.js";
import type { UsersErrorCode } from "../../src/users/index.js";

test("every ProviderError code becomes a UsersError code; the message names the provider, never the detail's secret", () => {
  const expected: Record<ProviderErrorCode, UsersErrorCode> = {
    access_denied: "access_denied", oauth_error: "provider_error", state_mismatch: "invalid_state", issuer_mismatch: "issuer_mismatch",
    missing_code: "missing_code", invalid_code: "invalid_code", invalid_id_token: "invalid_id_token", invalid_response: "provider_unavailable",
    unavailable: "provider_unavailable",
  };
  for (const [code, domain] of Object.entries(expected) as [ProviderErrorCode, UsersErrorCode][]) {
    const mapped = fromProviderFailure(new ProviderError(code, "raw message with code=SECRET", { detail: "aud" }), "GitLab");
    assert.ok(mapped instanceof UsersError, code);
    assert.equal(mapped.code, domain, code);
    assert.doesNotMatch(mapped.message, /SECRET/);
  }
  const idToken = fromProviderFailure(new ProviderError("invalid_id_token", "x", { detail: "nonce" }), "GitLab");
  assert.ok(idToken instanceof UsersError && idToken.detail === "nonce" && /GitLab/.test(idToken.message));
  const other = new Error("a bug");
  assert.equal(fromProviderFailure(other, "GitLab"), other, "not a provider's failure: passes through");
});

test("usernames from handles: lower-cased, other characters as '-', at most 39, or nothing usable", () => {
  assert.equal(usernameFrom("Jane.Doe"), "jane.doe");
  assert.equal(usernameFrom("José Smith"), "jos-smith");
  assert.equal(usernameFrom("__x"), "x");
  assert.equal(usernameFrom("a".repeat(60)), "a".repeat(39));
  assert.equal(usernameFrom("---"), undefined);
  assert.equal(usernameFrom(""), undefined);
  assert.equal(usernameFrom(null), undefined);
});

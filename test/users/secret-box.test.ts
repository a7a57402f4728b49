import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { SecretBox } from "../../src/users/secret-box.js";
import { checkReturnTo } from "../../src/users/validation.js";
import { SlidingWindowLimiter } from "../../src/users/rate-limiter.js";

test("sealed values open only with the same key and context, and tampering is detected", () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const sealed = box.seal("gho_secret", "github_tokens.access_token:1");
  assert.notEqual(sealed, box.seal("gho_secret", "github_tokens.access_token:1"), "random IV");
  assert.equal(box.open(sealed, "github_tokens.access_token:1"), "gho_secret");
  assert.throws(() => box.open(sealed, "github_tokens.access_token:2"), "bound to its row");
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, "github_tokens.access_token:1"), "other key");
  const raw = Buffer.from(sealed.slice(3), "base64url");
  raw[14] = (raw[14] ?? 0) ^ 1;
  assert.throws(() => box.open(`v1.${raw.toString("base64url")}`, "github_tokens.access_token:1"), "tampered");
  assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/);
});

test("return_to accepts same-origin paths only", () => {
  const base = new URL("https://auth.example.com");
  assert.equal(checkReturnTo(undefined, base), "/");
  assert.equal(checkReturnTo("/a/b?c=d#e", base), "/a/b?c=d#e");
  for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil", "evil", "/\tx", "http:/x"]) {
    assert.throws(() => checkReturnTo(bad, base), /return_to/, bad);
  }
});

test("the sliding window forgets attempts older than the window", () => {
  let now = 0;
  const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, now: () => now });
  assert.ok(limiter.attempt("k").allowed);
  now = 500;
  assert.ok(limiter.attempt("k").allowed);
  const denied = limiter.attempt("k");
  assert.equal(denied.allowed, false);
  assert.equal(denied.retryAfter, 1);
  now = 1001;
  assert.ok(limiter.attempt("k").allowed, "the first attempt left the window");
  limiter.reset("k");
  assert.ok(limiter.check("k").allowed);
});

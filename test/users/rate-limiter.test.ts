import { test } from "node:test";
import assert from "node:assert/strict";
import { SlidingWindowLimiter } from "../../src/users/rate-limiter.js";

test("a flood of distinct usernames or addresses keeps the limiter at maxKeys: the least recently used keys are dropped", () => {
  const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 60_000, now: () => 1_800_000_000_000, maxKeys: 1000 });
  assert.equal(limiter.attempt("victim").allowed, true);
  assert.equal(limiter.attempt("victim").allowed, false, "limited before the flood");
  for (let i = 0; i < 1000; i++) limiter.attempt(`flood-${i}`);
  // 1001 keys were seen: the oldest ("victim") is the one forgotten, the newest are all still counted.
  assert.equal(limiter.check("victim").allowed, true, "dropped, so the map holds at most maxKeys");
  assert.equal(limiter.check("flood-999").allowed, false);
  assert.equal(limiter.check("flood-1").allowed, false);
  limiter.attempt("flood-1000");
  assert.equal(limiter.check("flood-0").allowed, true, "each new key drops one old one");
});

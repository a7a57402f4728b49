/** Picking a free username for an account a sign-in creates. */
import type { Store } from "../store/index.js";
import { randomToken } from "./secrets.js";
import { USERNAME_PATTERN } from "./validation.js";

/**
 * `base` as username, or `base-2`, `base-3`... when another account holds it (e.g. a renamed
 * GitHub account's, or the same handle at another provider).
 *
 * @example
 * await freeUsername(store, "alice"); // "alice", or "alice-2" when alice is taken
 */
export async function freeUsername(store: Store, base: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 35)}-${n}`;
    if (!(await store.users.findByUsername(candidate))) return candidate;
  }
  return `${base.slice(0, 20)}-${randomToken().slice(0, 8).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
}

/**
 * A handle from elsewhere (a provider's `preferred_username`, an email's local part) made into a
 * username: lower-cased, other characters as `-`, starting with a letter or digit, at most 39;
 * `undefined` when nothing usable is left.
 *
 * @example
 * usernameFrom("Jane.Doe@corp"); // "jane.doe-corp"
 */
export function usernameFrom(handle: string | null | undefined): string | undefined {
  if (handle === null || handle === undefined) return undefined;
  const cleaned = handle.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").slice(0, 39).replace(/[._-]+$/, "");
  return USERNAME_PATTERN.test(cleaned) ? cleaned : undefined;
}

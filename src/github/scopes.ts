/**
 * Scope lists. GitHub sends `scope` comma-separated in token responses and `X-OAuth-Scopes`
 * comma+space separated; some servers use spaces (RFC 6749 §3.3). Accept all of them.
 */
import { GitHubUsageError } from "./errors.js";

/** The scopes of a `scope` value or `X-OAuth-Scopes` header, split on commas and spaces. */
export function parseScopes(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((s) => s.length > 0))];
}

/** Throws unless `scopes` is a list of scope names (no separators inside: they would merge or split). */
export function checkScopes(name: string, scopes: readonly unknown[], code: "invalid_option" | "invalid_argument"): readonly string[] {
  if (Array.isArray(scopes)) {
    const list: readonly unknown[] = scopes;
    if (list.every(isScopeName)) return list;
  }
  throw new GitHubUsageError(code, `${name} must be a list of scope names`);
}

function isScopeName(s: unknown): s is string {
  return typeof s === "string" && /^[^\s,]+$/.test(s);
}

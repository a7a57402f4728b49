/**
 * Scope lists. GitHub sends `scope` comma-separated in token responses and `X-OAuth-Scopes`
 * comma+space separated; some servers use spaces (RFC 6749 §3.3). Accept all of them.
 */
export function parseScopes(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((s) => s.length > 0))];
}

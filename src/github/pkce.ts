/** PKCE ([RFC 7636](https://www.rfc-editor.org/rfc/rfc7636); docs/github-protocol.md §7) and the random values of the web flow. */
import { base64url } from "./base64.js";
import { GitHubUsageError } from "./errors.js";

/** 32 random bytes from Web Crypto, base64url: 43 characters, 256 bits. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

// RFC 7636 §4.1 (https://www.rfc-editor.org/rfc/rfc7636#section-4.1): 43–128 characters of [A-Z a-z 0-9 - . _ ~].
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Throws unless `verifier` is a valid RFC 7636 code verifier. Never echoes the value. */
export function assertCodeVerifier(verifier: unknown): asserts verifier is string {
  if (typeof verifier !== "string" || !VERIFIER.test(verifier)) {
    throw new GitHubUsageError("invalid_argument", "codeVerifier must be 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)");
  }
}

/**
 * A new PKCE code verifier: 32 random bytes from Web Crypto, base64url (43 characters).
 * Keep it on the server; it must never reach the browser.
 *
 * @example
 * ```ts
 * const verifier = createCodeVerifier(); // "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"-like
 * ```
 */
export function createCodeVerifier(): string {
  return randomToken();
}

/**
 * The S256 code challenge of a verifier, 43 characters: BASE64URL(SHA256(ASCII(verifier)))
 * ([RFC 7636 §4.2](https://www.rfc-editor.org/rfc/rfc7636#section-4.2)), hashed by Web Crypto.
 *
 * @example
 * ```ts
 * const challenge = await createCodeChallenge(createCodeVerifier());
 * ```
 */
export async function createCodeChallenge(verifier: string): Promise<string> {
  assertCodeVerifier(verifier);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

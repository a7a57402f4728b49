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
 * A SHA-256 function: the 32-byte digest of `data`. Web Crypto's is asynchronous (in Node a
 * thread-pool job, ~15 µs of CPU); a runtime's synchronous one may be given instead.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * const sha256: Sha256 = (data) => createHash("sha256").update(data).digest();
 * ```
 */
export type Sha256 = (data: Uint8Array<ArrayBuffer>) => Uint8Array | Promise<Uint8Array>;

/** Web Crypto's SHA-256: the default. */
export const webCryptoSha256: Sha256 = async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));

/**
 * The S256 code challenge of a verifier, 43 characters: BASE64URL(SHA256(ASCII(verifier)))
 * ([RFC 7636 §4.2](https://www.rfc-editor.org/rfc/rfc7636#section-4.2)), hashed by Web Crypto
 * unless another `sha256` is given.
 *
 * @example
 * ```ts
 * const challenge = await createCodeChallenge(createCodeVerifier());
 * ```
 */
export async function createCodeChallenge(verifier: string, sha256: Sha256 = webCryptoSha256): Promise<string> {
  assertCodeVerifier(verifier);
  const digest = await sha256(new TextEncoder().encode(verifier));
  if (!(digest instanceof Uint8Array) || digest.length !== 32) {
    throw new GitHubUsageError("invalid_option", "sha256 must return the 32-byte SHA-256 digest");
  }
  return base64url(digest);
}

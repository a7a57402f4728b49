/** Random values and constant-time comparison for the emulator's codes and tokens. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// RFC 8628 §6.1: user codes from 20 consonants, easy to read and type, no vowels (no words).
const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

/** `length` characters of `alphabet`, unbiased (rejection sampling over 32-byte batches). */
function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(32)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A token like GitHub's: prefix + 36 alphanumerics (about 214 random bits). */
export function newToken(prefix: "gho_" | "ghu_" | "ghr_"): string {
  return prefix + randomString(ALPHANUMERIC, 36);
}

/** A 20-character hex web-flow code, as GitHub sends (80 random bits, lives 10 minutes, single use). */
export function newCode(): string {
  return randomBytes(10).toString("hex");
}

/** A 40-character hex device code. */
export function newDeviceCode(): string {
  return randomBytes(20).toString("hex");
}

/** An `XXXX-XXXX` user code. */
export function newUserCode(): string {
  const raw = randomString(USER_CODE_ALPHABET, 8);
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

/** An opaque 32-byte id (sessions, CSRF tokens, pending authorizations). */
export function newId(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 hex digest; secrets are stored and looked up by digest, never by value. */
export function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time string equality (compares digests so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** BASE64URL-NOPAD(SHA256(verifier)), RFC 7636 §4.2. */
export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

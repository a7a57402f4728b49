/**
 * Password hashing with scrypt (RFC 7914): per-user random salt, parameters stored with the hash
 * so they can be raised later without invalidating old hashes; constant-time comparison.
 * Format: `scrypt$ln=15,r=8,p=1$SALT$HASH` (base64url).
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { ScryptOptions } from "node:crypto";

/** scrypt cost parameters. `ln` is log2 of N. */
export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}

/** OWASP's scrypt recommendation (N=2^15 at r=8 uses 32 MiB and ~50–100 ms). */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a password with a fresh 16-byte salt.
 *
 * @example
 * const stored = await hashPassword("correct horse battery staple");
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 10 || params.ln > 22 || params.r < 1 || params.p < 1) return undefined;
  return { params, salt: Buffer.from(m[4] ?? "", "base64url"), key: Buffer.from(m[5] ?? "", "base64url") };
}

/**
 * Checks a password against a stored hash in constant time. A malformed hash never matches.
 *
 * @example
 * if (await verifyPassword(input, user.passwordHash)) { ... }
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

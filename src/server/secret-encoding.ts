/** Reading the encryption secret from text: hex or base64 (standard or url-safe), at least 32 bytes. */

/**
 * Decodes a secret written as hex or base64; throws a message naming the problem (not the value).
 *
 * @example
 * decodeSecret(randomBytes(32).toString("hex"));
 */
export function decodeSecret(text: string): Uint8Array {
  const t = text.trim();
  let bytes: Buffer;
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) bytes = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) bytes = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else throw new Error("the secret must be hex or base64");
  if (bytes.length < 32) throw new Error(`the secret must be at least 32 bytes (got ${bytes.length})`);
  return new Uint8Array(bytes);
}

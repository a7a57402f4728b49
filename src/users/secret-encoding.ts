/**
 * Reading the encryption secret from text: hex or base64 (standard or url-safe), at least 32 bytes.
 * Here, in the domain that uses the key, so that both configuration and the server can read one.
 */
import { UsersError } from "./errors.js";

/**
 * Decodes a secret written as hex or base64; a bad one is an `invalid_input` {@link UsersError}
 * (field `secret`) whose message names the problem, never the value.
 *
 * @example
 * decodeSecret(randomBytes(32).toString("hex"));
 */
export function decodeSecret(text: string): Uint8Array {
  const t = text.trim();
  let bytes: Buffer;
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) bytes = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) bytes = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else throw new UsersError("invalid_input", "the secret must be hex or base64", { field: "secret" });
  if (bytes.length < 32) throw new UsersError("invalid_input", `the secret must be at least 32 bytes (got ${bytes.length})`, { field: "secret" });
  return new Uint8Array(bytes);
}

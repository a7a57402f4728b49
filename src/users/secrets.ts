/** Random tokens and hashes for session ids, handles and bindings. */
import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: session tokens, browser bindings, device handles. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256, base64url: what is stored in place of a bearer value. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

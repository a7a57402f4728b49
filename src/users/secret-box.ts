/**
 * AES-256-GCM sealing of secrets at rest (GitHub tokens, PKCE verifiers, device codes). The key is
 * derived with HKDF-SHA256 from the configured secret; each value is bound to its context (AAD),
 * so a sealed value copied to another row or column does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { UsersError } from "./errors.js";

const VERSION = "v1";

/** Stable codes of {@link SecretBoxError}. */
export type SecretBoxErrorCode =
  /** Not sealed by this box: unknown format, tampered with, sealed for another context or under another key. */
  "unreadable";

/**
 * A sealed value that does not open. Callers turn it into their own domain code (the user must
 * start again, or sign in with GitHub again).
 *
 * @example
 * try { box.open(sealed, context); } catch (err) { if (err instanceof SecretBoxError) startAgain(); }
 */
export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
  readonly code: SecretBoxErrorCode;

  constructor(code: SecretBoxErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * Seals and opens strings with a key derived from `secret` (at least 32 bytes).
 *
 * @example
 * const box = new SecretBox(secretBytes);
 * const sealed = box.seal("gho_...", "github_tokens.access_token:42");
 * box.open(sealed, "github_tokens.access_token:42"); // "gho_..."
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.length < 32) {
      throw new UsersError("invalid_input", "the encryption secret must be at least 32 bytes", { field: "secret" });
    }
    this.#key = Buffer.from(hkdfSync("sha256", secret, "gatehouse", "gatehouse secret box v1", 32));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
  }

  /** Opens a sealed value; a {@link SecretBoxError} when it was tampered with, sealed for another context or key. */
  open(sealed: string, context: string): string {
    const [version, payload] = sealed.split(".", 2);
    const raw = payload === undefined ? Buffer.alloc(0) : Buffer.from(payload, "base64url");
    if (version !== VERSION || raw.length < 28) throw new SecretBoxError("unreadable", "sealed value has an unknown format");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
    } catch (err) {
      throw new SecretBoxError("unreadable", "sealed value does not open with this key and context", { cause: err });
    }
  }
}

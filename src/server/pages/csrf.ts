/**
 * CSRF tokens for page forms, as defence in depth behind the Origin check and the SameSite=Lax
 * cookie (for browsers or proxies that drop Origin). The token is an HMAC-SHA256 of the session's
 * public id keyed with the session's own secret token: only a holder of the HttpOnly cookie's value
 * (our server) can compute it, every instance of the service computes the same value without a
 * shared key, and it dies with the session (OWASP "signed double-submit", bound to the session).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RequestAuth } from "../env.js";

/** The form field that carries the token. */
export const CSRF_FIELD = "csrf_token";

/**
 * The token to embed in the forms of a signed-in page.
 *
 * @example
 * html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(auth)}">`;
 */
export function csrfToken(auth: RequestAuth): string {
  return createHmac("sha256", auth.token).update(`gatehouse-page-form:${auth.session.id}`).digest("base64url");
}

/**
 * Whether a submitted token belongs to this session; compared in constant time.
 *
 * @example
 * if (!csrfTokenValid(auth, form.get(CSRF_FIELD))) return forbiddenPage(c);
 */
export function csrfTokenValid(auth: RequestAuth, submitted: string | null | undefined): boolean {
  if (typeof submitted !== "string" || submitted.length === 0 || submitted.length > 100) return false;
  const expected = Buffer.from(csrfToken(auth));
  const given = Buffer.from(submitted);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

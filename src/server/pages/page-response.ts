/**
 * How every page leaves the server: HTML with a strict Content-Security-Policy (no script at all,
 * style only from our stylesheet file), no framing, no sniffing, no caching of personal pages.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SafeHtml } from "./html.js";

/**
 * The headers of a page. Avatars come from GitHub (https); over plain http (local development and
 * tests against the emulator) http images are allowed too, since such a page has no mixed-content
 * protection to lose.
 */
function pageHeaders(publicUrl: URL): Record<string, string> {
  const images = publicUrl.protocol === "https:" ? "'self' https: data:" : "'self' https: http: data:";
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy":
      `default-src 'none'; style-src 'self'; img-src ${images}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    "x-content-type-options": "nosniff",
    // Old browsers ignore frame-ancestors: clickjacking defence for them.
    "x-frame-options": "DENY",
    // Paths may hold a search term or a user name: other sites learn only our origin.
    "referrer-policy": "same-origin",
    // Pages carry personal data and CSRF tokens: never store them in a shared or back/forward cache.
    "cache-control": "no-store",
  };
}

/**
 * Sends a rendered page.
 *
 * @example
 * return sendPage(c, deps.publicUrl, layout({ title: "Sign in", ... }), 401);
 */
export function sendPage(c: Context, publicUrl: URL, body: SafeHtml, status: ContentfulStatusCode = 200): Response {
  return c.body(`<!doctype html>\n${body.toString()}`, status, pageHeaders(publicUrl));
}

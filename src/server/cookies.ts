/**
 * The two cookies: the session (`gatehouse_session`) and the OAuth transaction's browser binding
 * (`gatehouse_oauth`). Both HttpOnly (scripts never see them), SameSite=Lax (sent on GitHub's
 * top-level redirect back, not on cross-site POSTs), Path=/, and Secure when the public URL is https.
 */
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { parse } from "hono/utils/cookie";
import type { AppEnv } from "./env.js";
import { requestHeader } from "./request-header.js";

/** Session cookie name. */
export const SESSION_COOKIE = "gatehouse_session";
/** Browser-binding cookie of a pending GitHub sign-in. */
export const OAUTH_COOKIE = "gatehouse_oauth";

function base(publicUrl: URL) {
  return { httpOnly: true, sameSite: "Lax" as const, path: "/", secure: publicUrl.protocol === "https:" };
}

export function setSessionCookie(c: Context, publicUrl: URL, token: string, maxAgeS: number): void {
  setCookie(c, SESSION_COOKIE, token, { ...base(publicUrl), maxAge: maxAgeS });
}

export function clearSessionCookie(c: Context, publicUrl: URL): void {
  deleteCookie(c, SESSION_COOKIE, base(publicUrl));
}

/** The binding cookie lives as long as its transaction: `expiresAt` less `now`, both from the service's clock. */
export function setBindingCookie(c: Context, publicUrl: URL, binding: string, expiresAt: Date, now: number): void {
  setCookie(c, OAUTH_COOKIE, binding, { ...base(publicUrl), maxAge: Math.max(1, Math.round((expiresAt.getTime() - now) / 1000)) });
}

export function clearBindingCookie(c: Context, publicUrl: URL): void {
  deleteCookie(c, OAUTH_COOKIE, base(publicUrl));
}

export function readCookie(c: Context<AppEnv>, name: string): string | undefined {
  const header = requestHeader(c, "cookie");
  const value = header === undefined ? undefined : parse(header, name)[name];
  return value === undefined || value === "" ? undefined : value;
}

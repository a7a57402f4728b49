/**
 * The two cookies: the session (`gatehouse_session`) and the OAuth transaction's browser binding
 * (`gatehouse_oauth`). Both HttpOnly (scripts never see them), SameSite=Lax (sent on GitHub's
 * top-level redirect back, not on cross-site POSTs), Path=/, and Secure when the public URL is https.
 * A front end on another site (`GATEHOUSE_APP_ORIGINS`, https) needs `SameSite=None; Secure`
 * instead; the Origin check and CORS list then stand between other sites and the API.
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

/** What the cookie attributes depend on (from `ServerDeps`). */
export interface CookieScope {
  publicUrl: URL;
  cookieSameSite: "Lax" | "None";
}

function base(scope: CookieScope) {
  return { httpOnly: true, sameSite: scope.cookieSameSite, path: "/", secure: scope.publicUrl.protocol === "https:" };
}

export function setSessionCookie(c: Context, scope: CookieScope, token: string, maxAgeS: number): void {
  setCookie(c, SESSION_COOKIE, token, { ...base(scope), maxAge: maxAgeS });
}

export function clearSessionCookie(c: Context, scope: CookieScope): void {
  deleteCookie(c, SESSION_COOKIE, base(scope));
}

/** The binding cookie lives as long as its transaction: `expiresAt` less `now`, both from the service's clock. */
export function setBindingCookie(c: Context, scope: CookieScope, binding: string, expiresAt: Date, now: number): void {
  setCookie(c, OAUTH_COOKIE, binding, { ...base(scope), maxAge: Math.max(1, Math.round((expiresAt.getTime() - now) / 1000)) });
}

export function clearBindingCookie(c: Context, scope: CookieScope): void {
  deleteCookie(c, OAUTH_COOKIE, base(scope));
}

export function readCookie(c: Context<AppEnv>, name: string): string | undefined {
  const header = requestHeader(c, "cookie");
  const value = header === undefined ? undefined : parse(header, name)[name];
  return value === undefined || value === "" ? undefined : value;
}

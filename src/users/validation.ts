/** Validation of values entering the domain: each failure names its field. */
import { UsersError } from "./errors.js";
import type { Role, Theme } from "./types.js";

/** A (normalised) username: like GitHub logins (alphanumerics and hyphens, ≤ 39), plus `.` and `_` for local accounts. */
export const USERNAME_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,38})$/;
/** A GitHub login (of a user or an organisation): alphanumerics and hyphens, ≤ 39. */
export const GITHUB_LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

function invalid(field: string, message: string): UsersError {
  return new UsersError("invalid_input", message, { field });
}

/** Lower-cases and checks a username. */
export function normalizeUsername(value: unknown, field = "username"): string {
  if (typeof value !== "string") throw invalid(field, `${field} must be a string`);
  const v = value.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(v)) throw invalid(field, `${field} must be 1-39 characters: letters, digits, '.', '_' or '-', starting with a letter or digit`);
  return v;
}

/** Checks a GitHub login (case kept for display; compare lower-cased: GitHub logins are case-insensitive). */
export function checkGitHubLogin(value: unknown, field = "github_login"): string {
  if (typeof value !== "string" || !GITHUB_LOGIN_PATTERN.test(value.trim())) throw invalid(field, `${field} is not a valid GitHub login`);
  return value.trim();
}

export function checkRole(value: unknown, field = "role"): Role {
  if (value !== "admin" && value !== "user") throw invalid(field, `${field} must be "admin" or "user"`);
  return value;
}

/** Passwords: 8 to 1024 characters (the upper bound keeps scrypt's input bounded). */
export function checkPassword(value: unknown, field = "password"): string {
  if (typeof value !== "string") throw invalid(field, `${field} must be a string`);
  if (value.length < 8) throw invalid(field, `${field} must be at least 8 characters`);
  if (value.length > 1024) throw invalid(field, `${field} must be at most 1024 characters`);
  return value;
}

/** An optional short text: string (trimmed, bounded) or null; "" becomes null. */
export function checkText(value: unknown, field: string, max = 200): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw invalid(field, `${field} must be a string or null`);
  const v = value.trim();
  if (v.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  // C0/C1 controls, line separators and bidirectional overrides: a name shown reversed ("‮nimda")
  // or split across lines would mislead whoever reads the user list.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(v)) {
    throw invalid(field, `${field} must not contain control characters`);
  }
  return v === "" ? null : v;
}

const THEMES: readonly Theme[] = ["system", "light", "dark"];

/** A theme from the closed set; `null` or "" means `system` (follow the device). */
export function checkTheme(value: unknown, field = "theme"): Theme {
  if (value === null || value === "") return "system";
  const found = THEMES.find((t) => t === value);
  if (found === undefined) throw invalid(field, `${field} must be one of ${THEMES.map((t) => `"${t}"`).join(", ")}`);
  return found;
}

export function checkEmail(value: unknown, field = "email"): string | null {
  const v = checkText(value, field, 320);
  if (v !== null && !EMAIL.test(v)) throw invalid(field, `${field} is not an email address`);
  return v;
}

/** An http:// or https:// URL without credentials, or null. */
export function checkUrl(value: unknown, field: string): string | null {
  const v = checkText(value, field, 2000);
  if (v === null) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw invalid(field, `${field} must be an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid(field, `${field} must be an http:// or https:// address`);
  // A password in an image address would be sent, and shown, to everyone who sees the avatar.
  if (url.username !== "" || url.password !== "") throw invalid(field, `${field} must not contain a user name or password`);
  return url.toString();
}

/**
 * `return_to` accepts only same-origin paths (no scheme, no `//host`, no backslash tricks):
 * an open redirect after sign-in would hand the session's victim to an attacker's page. The one
 * exception: an absolute http(s) URL on one of `returnToHosts` (`GATEHOUSE_RETURN_TO_HOSTS`:
 * services behind the same proxy).
 *
 * @example
 * checkReturnTo("/docs?a=1", new URL("https://auth.example.com")); // "/docs?a=1"
 * checkReturnTo("https://wiki.example.com/x", new URL("https://auth.example.com"), ["wiki.example.com"]);
 */
export function checkReturnTo(value: unknown, publicUrl: URL, returnToHosts: readonly string[] = []): string {
  if (value === undefined || value === null || value === "") return "/";
  if (typeof value !== "string" || value.length > 2000) throw invalid("return_to", "return_to must be a path on this site");
  if (/[\\\u0000-\u001f\u007f]/.test(value)) throw invalid("return_to", "return_to must be a path on this site");
  if (returnToHosts.length > 0 && /^https?:\/\//i.test(value)) return allowedAbsolute(value, returnToHosts);
  if (!value.startsWith("/") || value.startsWith("//")) {
    throw invalid("return_to", "return_to must be a path on this site");
  }
  const resolved = new URL(value, publicUrl);
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // Dot segments collapse `/.//evil` or `/%2e%2e//evil` into `//evil`, which a browser reads as
  // another host in a Location header: check what will be sent, not only what came in.
  if (resolved.origin !== publicUrl.origin || path.startsWith("//")) {
    throw invalid("return_to", "return_to must be a path on this site");
  }
  return path;
}

/**
 * An absolute `return_to` (a service behind the same proxy, on another host): only to a listed
 * host (`host` or `host:port`, compared as the URL parser normalises them), never with
 * credentials in it.
 */
function allowedAbsolute(value: string, returnToHosts: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid("return_to", "return_to must be a path on this site or a URL on an allowed host");
  }
  const allowed = returnToHosts.some((h) => h.toLowerCase() === url.host);
  if (!allowed || url.username !== "" || url.password !== "") {
    throw invalid("return_to", "return_to must be a path on this site or a URL on an allowed host");
  }
  return url.toString();
}

/**
 * Front ends on other origins (`GATEHOUSE_APP_ORIGINS`): which origins may call the API with
 * credentials, and which SameSite attribute lets the cookies reach the API from them.
 */
import { UsersError } from "../users/index.js";

/**
 * The "site" of an origin as browsers judge SameSite: its scheme and registrable domain (ports do
 * not count). Without a public-suffix list, a domain's last two labels stand for it; an IP
 * address or a single-label host is its own site. A wrong guess (`a.co.uk` and `b.co.uk` taken as
 * one site) only keeps `Lax`, which withholds cookies — it never loosens them.
 */
function siteOf(origin: URL): string {
  const host = origin.hostname;
  const isIp = /^[\d.]+$/.test(host) || host.startsWith("[");
  const labels = host.split(".");
  return `${origin.protocol}//${isIp || labels.length <= 2 ? host : labels.slice(-2).join(".")}`;
}

/**
 * The SameSite attribute of Gatehouse's cookies: `Lax` unless a front end is cross-site to the
 * public URL and the public URL is https (only then may a browser send `SameSite=None; Secure`).
 * Cross-site over plain http cannot carry cookies at all: such a front end uses Bearer tokens.
 *
 * @example
 * cookieSameSite(new URL("https://auth.example.com"), ["https://app.example.com"]); // "Lax"
 * cookieSameSite(new URL("https://auth.example.com"), ["https://app.other.net"]); // "None"
 */
export function cookieSameSite(publicUrl: URL, appOrigins: readonly string[]): "Lax" | "None" {
  if (publicUrl.protocol !== "https:") return "Lax";
  const site = siteOf(publicUrl);
  return appOrigins.some((o) => siteOf(new URL(o)) !== site) ? "None" : "Lax";
}

/**
 * Checks a library caller's front-end settings: every app origin a bare origin, and the GitHub
 * callback (when set) on the public origin or a listed app origin — GitHub may only send a code
 * where the service or one of its own front ends receives it.
 *
 * @example
 * frontEndSettings(new URL("https://auth.example.com"), ["https://app.example.com"], "https://app.example.com/auth/github");
 */
export function frontEndSettings(publicUrl: URL, appOrigins: readonly string[], callbackUrl: string | undefined): { appOrigins: string[]; callbackUrl: string | undefined } {
  const origins = appOrigins.map((o) => {
    const u = parseUrl(o, "appOrigins");
    if (u.origin !== o.replace(/\/$/, "")) throw new UsersError("invalid_input", `appOrigins: "${o}" must be an origin such as https://app.example.com`, { field: "appOrigins" });
    return u.origin;
  });
  return { appOrigins: origins, callbackUrl: callbackUrl === undefined ? undefined : checkCallbackUrl(publicUrl, origins, callbackUrl, "githubCallbackUrl") };
}

/**
 * A front end's OAuth callback route (GitHub's, or a generic provider's `callbackUrl`): on the
 * public origin or one of the app origins, without query or fragment. A provider may only send a
 * code where the service or one of its own front ends receives it.
 *
 * @example
 * checkCallbackUrl(new URL("https://auth.example.com"), ["https://app.example.com"], "https://app.example.com/auth/gitlab", "providers.gitlab.callbackUrl");
 */
export function checkCallbackUrl(publicUrl: URL, appOrigins: readonly string[], callbackUrl: string, field: string): string {
  const cb = parseUrl(callbackUrl, field);
  if (cb.origin !== publicUrl.origin && !appOrigins.includes(cb.origin)) {
    throw new UsersError("invalid_input", `${field} must be on the public URL's origin or one of appOrigins`, { field });
  }
  if (cb.search !== "" || cb.hash !== "") throw new UsersError("invalid_input", `${field} must have no query or fragment`, { field });
  return cb.toString();
}

function parseUrl(text: string, field: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsersError("invalid_input", `${field}: "${text}" is not an absolute URL`, { field });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsersError("invalid_input", `${field}: "${text}" must be http:// or https://`, { field });
  return u;
}

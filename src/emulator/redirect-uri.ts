/**
 * GitHub's redirect_uri rules (docs: "Authorizing OAuth apps" → "Redirect URLs";
 * docs/github-protocol.md §2). Returns the URI to redirect to, or null when it is refused.
 */
import type { EmulatorAppKind } from "./types.js";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Host equal to the callback's, or a sub-domain of it (`oauth.example.com` for `example.com`). */
function hostMatches(requested: string, registered: string): boolean {
  return requested === registered || requested.endsWith(`.${registered}`);
}

/** The callback's path, or a sub-path of it on a segment boundary. */
function pathMatches(requested: string, registered: string): boolean {
  if (requested === registered) return true;
  const prefix = registered.endsWith("/") ? registered : `${registered}/`;
  return requested.startsWith(prefix);
}

/** One OAuth-app rule: scheme equal; host (ignoring sub-domains) and port equal, any port on a loopback IP; sub-path. */
function oauthAppAccepts(requested: URL, registered: URL): boolean {
  if (requested.protocol !== registered.protocol) return false;
  // Loopback callbacks (RFC 8252 §7.3): native apps pick a free port at run time.
  const loopback = LOOPBACK_HOSTS.has(registered.hostname) && requested.hostname === registered.hostname;
  if (!loopback && (!hostMatches(requested.hostname, registered.hostname) || requested.port !== registered.port)) return false;
  return pathMatches(requested.pathname, registered.pathname);
}

/**
 * The redirect URI to use for an authorize request, or null when GitHub would answer
 * `redirect_uri_mismatch`. Omitted → the first registered callback.
 *
 * @example
 * resolveRedirectUri("oauth-app", ["http://example.com/path"], "http://oauth.example.com/path/sub") // accepted
 */
export function resolveRedirectUri(kind: EmulatorAppKind, callbacks: readonly string[], requested: string | undefined): string | null {
  if (requested === undefined) return callbacks[0] ?? null;
  // GitHub Apps: an exact match with one of the registered callback URLs, nothing added.
  if (kind === "github-app") return callbacks.includes(requested) ? requested : null;
  const url = parse(requested);
  if (!url || url.hash !== "" || url.username !== "" || url.password !== "") return null;
  return callbacks.some((cb) => {
    const registered = parse(cb);
    return registered !== null && oauthAppAccepts(url, registered);
  })
    ? requested
    : null;
}

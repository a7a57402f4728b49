/**
 * Where GitHub sends the browser back after authorization: one path, defined once, for the route,
 * the redirect URI the service registers, and what the CLI tells an operator to register.
 */

/** The path of the GitHub callback route. */
export const GITHUB_CALLBACK_PATH = "/auth/github/callback";

/**
 * The callback URL of a service reachable at `publicUrl`, under its path when it has one (a
 * service mounted at `https://example.com/auth-service`).
 *
 * @example
 * githubCallbackUrl("https://auth.example.com"); // "https://auth.example.com/auth/github/callback"
 * githubCallbackUrl("https://example.com/auth-service/"); // "https://example.com/auth-service/auth/github/callback"
 */
export function githubCallbackUrl(publicUrl: string | URL): string {
  const url = new URL(publicUrl);
  return new URL(`${url.pathname.replace(/\/+$/, "")}${GITHUB_CALLBACK_PATH}`, url).toString();
}

/**
 * The path of a generic provider's callback route.
 *
 * @example
 * providerCallbackPath("gitlab"); // "/auth/gitlab/callback"
 */
export function providerCallbackPath(name: string): string {
  return `/auth/${name}/callback`;
}

/**
 * The redirect URI of a generic provider: `{publicUrl}/auth/{name}/callback`, under the public
 * URL's path when it has one. The one place it is built (routes, the domain, what to register).
 *
 * @example
 * providerCallbackUrl("https://auth.example.com", "gitlab"); // "https://auth.example.com/auth/gitlab/callback"
 */
export function providerCallbackUrl(publicUrl: string | URL, name: string): string {
  const url = new URL(publicUrl);
  return new URL(`${url.pathname.replace(/\/+$/, "")}${providerCallbackPath(name)}`, url).toString();
}

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

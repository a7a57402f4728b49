/**
 * Where GitHub sends the browser back after authorization: one path, defined once, for the route,
 * the redirect URI the service registers, and what the CLI tells an operator to register.
 */

/** The path of the GitHub callback route. */
export const GITHUB_CALLBACK_PATH = "/auth/github/callback";

/**
 * The callback URL of a service reachable at `publicUrl`.
 *
 * @example
 * githubCallbackUrl("https://auth.example.com"); // "https://auth.example.com/auth/github/callback"
 */
export function githubCallbackUrl(publicUrl: string | URL): string {
  return new URL(GITHUB_CALLBACK_PATH, publicUrl).toString();
}

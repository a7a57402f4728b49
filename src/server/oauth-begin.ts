/**
 * Starting an authorization from the server — a sign-in (`/auth/{name}`, `oauth-login-url`) or a
 * link (the account page's form): the domain's transaction, then the binding cookie.
 */
import type { Context } from "hono";
import type { AppEnv, ServerDeps } from "./env.js";
import { setBindingCookie } from "./cookies.js";

/**
 * Begins with `github` or a configured generic provider (`unknown_provider` otherwise) and sets
 * the browser's binding cookie; `linkUserId` makes the callback link to that signed-in user.
 *
 * @example
 * const { authorizationUrl } = await beginOAuth(c, deps, "gitlab", c.req.query("return_to"));
 * return c.redirect(authorizationUrl, 302);
 */
export async function beginOAuth(c: Context<AppEnv>, deps: ServerDeps, provider: string, returnTo: unknown,
  options: { linkUserId?: number } = {}): Promise<{ authorizationUrl: string }> {
  const auth = provider === "github"
    ? await deps.users.beginGitHubSignIn(returnTo, options)
    : await deps.users.beginProviderSignIn(provider, returnTo, options);
  setBindingCookie(c, deps, auth.binding, auth.expiresAt, deps.now());
  c.header("cache-control", "no-store");
  return { authorizationUrl: auth.authorizationUrl };
}

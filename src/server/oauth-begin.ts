/**
 * Starting an authorization from the server — a sign-in (`/auth/{name}`, `oauth-login-url`) or a
 * link (the account page's form): the domain's transaction, then the binding cookie.
 */
import type { Context } from "hono";
import type { AppEnv, ServerDeps } from "./env.js";
import { setBindingCookie } from "./cookies.js";
import type { UsersErrorCode } from "../users/index.js";

/**
 * The failures of the provider itself when a generic provider's sign-in starts (it is asked for
 * its discovery document then: unreachable, a bad or a foreign document). A browser that clicked a
 * button is shown them on a page; the JSON API answers them as problems.
 */
export const PROVIDER_START_FAILURES: ReadonlySet<UsersErrorCode> = new Set<UsersErrorCode>(["provider_unavailable", "provider_error", "issuer_mismatch"]);

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

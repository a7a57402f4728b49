/**
 * What every OAuth callback answers, GitHub's and the generic providers': the binding cookie is
 * cleared, the outcome's session set (a sign-in) or left as it is (a link), and the browser sent
 * on; a failure lands on `/login?error=CODE`, or on `/account?error=CODE` for the failures only a
 * link has (the person is signed in and started it there).
 */
import type { Context } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";
import { returnLocation } from "../base-path.js";
import { clearBindingCookie, OAUTH_COOKIE, readCookie } from "../cookies.js";
import { requestLog } from "../logger.js";
import { clientInfo, replaceSession } from "../sign-in-response.js";
import { UsersError } from "../../users/index.js";
import type { ClientInfo, OAuthOutcome } from "../../users/index.js";

/** A completion: the binding, the callback's parameters, the client, and the session's user. */
export type CompleteCallback = (binding: string | undefined, params: URLSearchParams, client: ClientInfo,
  options: { currentUserId?: number | undefined }) => Promise<OAuthOutcome>;

const LINK_FAILURES = new Set(["identity_taken", "already_linked"]);

/**
 * Answers a callback request (its query is the parameters; never logged: it holds `code`).
 *
 * @example
 * app.get("/auth/gitlab/callback", (c) => answerCallback(c, deps, "gitlab", (...a) => deps.users.completeProviderSignIn("gitlab", ...a)));
 */
export async function answerCallback(c: Context<AppEnv>, deps: ServerDeps, provider: string, complete: CompleteCallback): Promise<Response> {
  const binding = readCookie(c, OAUTH_COOKIE);
  clearBindingCookie(c, deps);
  c.header("cache-control", "no-store");
  try {
    const outcome = await complete(binding, new URL(c.req.url).searchParams, clientInfo(c), { currentUserId: c.get("auth")?.user.id });
    if (!outcome.linked) await replaceSession(c, deps, outcome);
    return c.redirect(returnLocation(deps.basePath, deps.publicUrl, outcome.returnTo), 302);
  } catch (err) {
    if (!(err instanceof UsersError)) throw err;
    requestLog(c)?.warn({ errorCode: err.code, provider }, "OAuth callback failed");
    // The pages render the code; nothing else of the callback is echoed.
    return c.redirect(failureLocation(LINK_FAILURES.has(err.code) ? "/account" : "/login", err.code, provider), 302);
  }
}

/**
 * Where a failed sign-in sends the browser: `page` with the error code, and a generic provider's
 * name so the page can say where it failed (GitHub's address stays as it was).
 *
 * @example
 * failureLocation("/login", "provider_unavailable", "gitlab"); // "/login?error=provider_unavailable&provider=gitlab"
 */
export function failureLocation(page: "/login" | "/account", code: string, provider: string): string {
  const query = new URLSearchParams({ error: code, ...(provider === "github" ? {} : { provider }) });
  return `${page}?${query.toString()}`;
}

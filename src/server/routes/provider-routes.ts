/**
 * The generic providers' browser flow: `GET /auth/{name}` → the provider → `GET /auth/{name}/callback`,
 * one pair per configured provider (named routes, not a pattern: `/auth/check` and GitHub's keep
 * theirs, and a host app's other `/auth/*` paths stay its own), and `DELETE /api/users/me/identities/{name}`.
 * The two-step JSON flow (github-routes.ts) dispatches on the provider's name.
 */
import type { Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";
import { providerCallbackPath } from "../../users/index.js";
import { beginOAuth, PROVIDER_START_FAILURES } from "../oauth-begin.js";
import { requireUser } from "../session-middleware.js";
import { answerCallback, failureLocation } from "./oauth-callback.js";
import { requestLog } from "../logger.js";
import { UsersError } from "../../users/index.js";

export function providerRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  for (const { name } of deps.users.providers) {
    app.get(`/auth/${name}`, async (c) => {
      try {
        const auth = await beginOAuth(c, deps, name, c.req.query("return_to"));
        return c.redirect(auth.authorizationUrl, 302);
      } catch (err) {
        // Starting asks the provider (discovery): a person who clicked its button gets the login
        // page saying it failed, as from a callback, not a problem document.
        if (!(err instanceof UsersError) || !PROVIDER_START_FAILURES.has(err.code)) throw err;
        requestLog(c)?.warn({ errorCode: err.code, provider: name }, "OAuth start failed");
        return c.redirect(failureLocation("/login", err.code, name), 302);
      }
    });
    app.get(providerCallbackPath(name), (c) =>
      answerCallback(c, deps, name, (...args) => deps.users.completeProviderSignIn(name, ...args)));
  }

  // `github` too: its id, login and stored tokens go. Never the last way to sign in (409).
  app.delete("/api/users/me/identities/:provider", async (c) => {
    const auth = requireUser(c);
    await deps.users.unlinkProvider(auth.user.id, c.req.param("provider"));
    return c.body(null, 204);
  });
}

/**
 * GitHub sign-in: the browser flow (`/auth/github` → GitHub → `/auth/github/callback`) and the
 * two-step JSON flow of the system we grow from (`oauth-login-url` then `oauth-login`), which also
 * dispatches to the generic providers by name (provider-routes.ts). Both bind the transaction to
 * the browser with the HttpOnly `gatehouse_oauth` cookie.
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, ServerDeps } from "../env.js";
import { GITHUB_CALLBACK_PATH } from "../../users/index.js";
import type { OAuthOutcome } from "../../users/index.js";
import { clearBindingCookie, OAUTH_COOKIE, readCookie } from "../cookies.js";
import { readJson } from "../json-body.js";
import { HttpProblem } from "../problem.js";
import { clientInfo, startSession } from "../sign-in-response.js";
import { userJson } from "../../wire/user-json.js";
import { answerCallback } from "./oauth-callback.js";
import { beginOAuth } from "../oauth-begin.js";

const oauthLoginBody = z.object({
  oauth_provider: z.string().max(100),
  code: z.string().min(1).max(2000),
  state: z.string().min(1).max(2000),
  // RFC 9207: a generic provider's callback may carry its issuer; checked by that provider (GitHub's flow ignores it, as before).
  iss: z.string().max(2000).optional(),
  // Accepted for compatibility, but only if it is ours: the server builds redirect_uri from configuration.
  redirect_uri: z.string().max(4000).optional(),
});

/**
 * Whether a client's `redirect_uri` names the configured callback. Front ends send it urlencoded
 * once or twice (the seed front end encodes it again inside its JSON), so up to two decodings are
 * compared; nothing else is normalised. The server never uses the client's value.
 */
function isOurRedirectUri(sent: string, configured: string): boolean {
  let value = sent;
  for (let i = 0; i < 3; i++) {
    if (value === configured) return true;
    try {
      value = decodeURIComponent(value);
    } catch {
      return false;
    }
  }
  return false;
}

function checkRedirectUri(sent: string | undefined, configured: string): void {
  if (sent !== undefined && !isOurRedirectUri(sent, configured)) {
    throw new HttpProblem("invalid_redirect_uri", "redirect_uri must be the configured callback URL; the server sets it", { field: "redirect_uri" });
  }
}

/** The provider a two-step call names: `github`, a configured generic one, or `unknown_provider` naming `field`. */
function knownProvider(deps: ServerDeps, name: string | undefined, field?: string): string {
  if (name === "github" || (name !== undefined && deps.users.hasProvider(name))) return name;
  const names = ["github", ...deps.users.providers.map((p) => p.name)].join(", ");
  throw new HttpProblem("unknown_provider", `the provider must be one of: ${names}`, field === undefined ? {} : { field });
}

export function githubRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/auth/github", async (c) => {
    const auth = await beginOAuth(c, deps, "github", c.req.query("return_to"));
    return c.redirect(auth.authorizationUrl, 302);
  });

  app.get(GITHUB_CALLBACK_PATH, (c) => answerCallback(c, deps, "github", (...args) => deps.users.completeGitHubSignIn(...args)));

  app.get("/api/users/oauth-login-url/:provider", async (c) => {
    const name = knownProvider(deps, c.req.param("provider"));
    checkRedirectUri(c.req.query("redirect_uri"), name === "github" ? deps.redirectUri : deps.users.providerRedirectUri(name));
    const auth = await beginOAuth(c, deps, name, c.req.query("return_to"));
    return c.json({ auth_url: auth.authorizationUrl });
  });

  app.post("/api/users/oauth-login", async (c) => {
    const body = await readJson(c, oauthLoginBody);
    const name = knownProvider(deps, body.oauth_provider, "oauth_provider");
    checkRedirectUri(body.redirect_uri, name === "github" ? deps.redirectUri : deps.users.providerRedirectUri(name));
    const binding = readCookie(c, OAUTH_COOKIE);
    clearBindingCookie(c, deps);
    const params = new URLSearchParams({ code: body.code, state: body.state, ...(body.iss !== undefined && name !== "github" ? { iss: body.iss } : {}) });
    const options = { currentUserId: c.get("auth")?.user.id };
    const outcome: OAuthOutcome = name === "github"
      ? await deps.users.completeGitHubSignIn(binding, params, clientInfo(c), options)
      : await deps.users.completeProviderSignIn(name, binding, params, clientInfo(c), options);
    // A link (started from the account page) leaves the session as it is.
    if (outcome.linked) return c.json({ linked: outcome.provider, user: userJson(outcome.user) });
    return startSession(c, deps, outcome);
  });
}

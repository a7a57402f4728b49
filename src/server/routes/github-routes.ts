/**
 * GitHub sign-in: the browser flow (`/auth/github` → GitHub → `/auth/github/callback`) and the
 * two-step JSON flow of the system we grow from (`oauth-login-url` then `oauth-login`). Both bind
 * the transaction to the browser with the HttpOnly `gatehouse_oauth` cookie.
 */
import { returnLocation } from "../base-path.js";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv, ServerDeps } from "../env.js";
import { GITHUB_CALLBACK_PATH, UsersError } from "../../users/index.js";
import { clearBindingCookie, OAUTH_COOKIE, readCookie, setBindingCookie } from "../cookies.js";
import { readJson } from "../json-body.js";
import { HttpProblem } from "../problem.js";
import { requestLog } from "../logger.js";
import { clientInfo, replaceSession, startSession } from "../sign-in-response.js";

const oauthLoginBody = z.object({
  oauth_provider: z.string(),
  code: z.string().min(1).max(2000),
  state: z.string().min(1).max(2000),
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

function checkRedirectUri(sent: string | undefined, deps: ServerDeps): void {
  if (sent !== undefined && !isOurRedirectUri(sent, deps.redirectUri)) {
    throw new HttpProblem("invalid_redirect_uri", "redirect_uri must be the configured GitHub callback URL; the server sets it", { field: "redirect_uri" });
  }
}

/** The query of GitHub's callback, as parameters (never logged: it holds `code`). */
function callbackParams(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

async function begin(c: Context<AppEnv>, deps: ServerDeps) {
  const auth = await deps.users.beginGitHubSignIn(c.req.query("return_to"));
  setBindingCookie(c, deps, auth.binding, auth.expiresAt, deps.now());
  c.header("cache-control", "no-store");
  return auth;
}

export function githubRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/auth/github", async (c) => {
    const auth = await begin(c, deps);
    return c.redirect(auth.authorizationUrl, 302);
  });

  app.get(GITHUB_CALLBACK_PATH, async (c) => {
    const binding = readCookie(c, OAUTH_COOKIE);
    clearBindingCookie(c, deps);
    c.header("cache-control", "no-store");
    try {
      const signedIn = await deps.users.completeGitHubSignIn(binding, callbackParams(c), clientInfo(c));
      await replaceSession(c, deps, signedIn);
      return c.redirect(returnLocation(deps.basePath, deps.publicUrl, signedIn.returnTo), 302);
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      requestLog(c)?.warn({ errorCode: err.code }, "GitHub sign-in failed");
      // The login page (server/pages) renders the code; nothing else of the callback is echoed.
      return c.redirect(`/login?error=${encodeURIComponent(err.code)}`, 302);
    }
  });

  app.get("/api/users/oauth-login-url/:provider", async (c) => {
    if (c.req.param("provider") !== "github") throw new HttpProblem("unknown_provider", "the only provider is github");
    checkRedirectUri(c.req.query("redirect_uri"), deps);
    const auth = await begin(c, deps);
    return c.json({ auth_url: auth.authorizationUrl });
  });

  app.post("/api/users/oauth-login", async (c) => {
    const body = await readJson(c, oauthLoginBody);
    if (body.oauth_provider !== "github") throw new HttpProblem("unknown_provider", "the only provider is github", { field: "oauth_provider" });
    checkRedirectUri(body.redirect_uri, deps);
    const binding = readCookie(c, OAUTH_COOKIE);
    clearBindingCookie(c, deps);
    const params = new URLSearchParams({ code: body.code, state: body.state });
    const signedIn = await deps.users.completeGitHubSignIn(binding, params, clientInfo(c));
    return startSession(c, deps, signedIn);
  });
}

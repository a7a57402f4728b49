/**
 * `/login` (GET: the page; POST: password sign-in) and `/logout`. A password sign-in from the page
 * is the same domain call as `POST /api/users/login`, answered with a cookie and a 303 redirect.
 */
import { returnLocation } from "../base-path.js";
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, ServerDeps } from "../env.js";
import { UsersError } from "../../users/index.js";
import type { UsersErrorCode } from "../../users/index.js";
import { checkReturnTo } from "../../users/index.js";
import { clearSessionCookie, readCookie, SESSION_COOKIE } from "../cookies.js";
import { httpStatusFor } from "../http-status.js";
import { HttpProblem } from "../problem.js";
import { clientInfo, replaceSession } from "../sign-in-response.js";
import { field, readForm } from "./form-body.js";
import { loginPage } from "./login-page.js";
import type { LoginPageView } from "./login-page.js";
import { guardPost } from "./post-guard.js";
import { sendPage } from "./page-response.js";
import { retryAfterSentence, signInErrorSentence } from "./sign-in-messages.js";

/** A same-origin path to return to, or the account page: a bad `return_to` is ignored, not an error page. */
function returnPath(value: string | undefined, deps: ServerDeps): string {
  // Paths as the browser sees them: under a base path, the account page is below it.
  const landing = `${deps.basePath}/account`;
  if (value === undefined || value === "") return landing;
  try {
    const path = checkReturnTo(value, deps.publicUrl, deps.returnToHosts);
    // Landing on the sign-in page again after signing in would look like a failure.
    return path === "/" || path.startsWith(`${deps.basePath}/login`) ? landing : path;
  } catch {
    return landing;
  }
}

/** Empty or malformed username: to a person (and in the status) this is the same as a wrong one. */
function pageCode(err: UsersError): UsersErrorCode {
  return err.code === "invalid_input" ? "invalid_credentials" : err.code;
}

function sentenceFor(err: UsersError): string {
  if (err.code === "rate_limited") return retryAfterSentence(err.retryAfter);
  return signInErrorSentence(pageCode(err));
}

export function loginRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  const show = (c: Context<AppEnv>, view: Omit<LoginPageView, "policy">, status: ContentfulStatusCode = 200) =>
    sendPage(c, deps.publicUrl, loginPage({ ...view, policy: deps.users.policy, providers: deps.users.providers }), status);

  app.get("/login", (c) => {
    const returnTo = returnPath(c.req.query("return_to"), deps);
    const error = c.req.query("error");
    if (c.get("auth") && error === undefined) return c.redirect(returnLocation(deps.basePath, deps.publicUrl, returnTo), 303);
    let notice: string | undefined;
    if (c.req.query("signed_out") !== undefined) {
      notice = "You have signed out.";
    } else if (!c.get("auth") && readCookie(c, SESSION_COOKIE) !== undefined) {
      // A cookie whose session is gone: revoked, disabled, expired. Say so, and drop the dead cookie.
      notice = "Your session has ended. Please sign in again.";
      clearSessionCookie(c, deps);
    }
    // Only a configured provider's name is shown, by its display name: the query never puts text on the page.
    const provider = deps.users.providerDisplayName(c.req.query("provider"));
    return show(c, { returnTo, notice, error: error === undefined ? undefined : signInErrorSentence(error, provider) });
  });

  app.post("/login", async (c) => {
    let form: URLSearchParams;
    try {
      form = await readForm(c);
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      return show(c, { returnTo: returnPath(undefined, deps), error: err.message }, httpStatusFor(err.code));
    }
    const returnTo = returnPath(form.get("return_to") ?? undefined, deps);
    const username = field(form, "username");
    try {
      const signedIn = await deps.users.signInWithPassword(username, field(form, "password"), clientInfo(c));
      await replaceSession(c, deps, signedIn);
      c.header("cache-control", "no-store");
      return c.redirect(returnLocation(deps.basePath, deps.publicUrl, returnTo), 303);
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      if (err.retryAfter !== undefined) c.header("retry-after", String(err.retryAfter));
      return show(c, { returnTo, username: username.slice(0, 100), error: sentenceFor(err) }, httpStatusFor(pageCode(err)));
    }
  });

  app.post("/logout", async (c) => {
    const post = await guardPost(c, deps);
    if (post instanceof Response) return post;
    await deps.users.signOut(post.auth.token);
    clearSessionCookie(c, deps);
    return c.redirect("/login?signed_out=1", 303);
  });
}

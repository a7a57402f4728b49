/**
 * The checks in front of every signed-in form post: a live session (else back to sign-in), a real
 * form body, and the session's CSRF token (defence in depth behind the app's Origin check).
 */
import type { Context } from "hono";
import type { AppEnv, RequestAuth, ServerDeps } from "../env.js";
import { CSRF_FIELD, csrfTokenValid } from "./csrf.js";
import { httpStatusFor } from "../http-status.js";
import { HttpProblem } from "../problem.js";
import { readForm } from "./form-body.js";
import { requestLog } from "../logger.js";
import { messagePage } from "./message-page.js";

/** A post that passed the checks. */
export interface GuardedPost {
  auth: RequestAuth;
  form: URLSearchParams;
}

/**
 * Runs the checks; a `Response` means the post was refused and that is the answer.
 *
 * @example
 * const post = await guardPost(c, deps, { admin: true });
 * if (post instanceof Response) return post;
 */
export async function guardPost(c: Context<AppEnv>, deps: ServerDeps, options: { admin?: boolean } = {}): Promise<GuardedPost | Response> {
  const auth = c.get("auth");
  // The session ended (signed out elsewhere, revoked, disabled): the sign-in page says so.
  if (!auth || auth.via !== "cookie") return c.redirect("/login", 303);
  if (options.admin && auth.user.role !== "admin") {
    return messagePage(c, deps.publicUrl, { title: "Not allowed", text: "Only administrators can manage users.", status: httpStatusFor("forbidden"), auth });
  }
  let form: URLSearchParams;
  try {
    form = await readForm(c);
  } catch (err) {
    if (!(err instanceof HttpProblem)) throw err;
    return messagePage(c, deps.publicUrl, { title: "Form refused", text: err.message, status: httpStatusFor(err.code), auth });
  }
  if (!csrfTokenValid(auth, form.get(CSRF_FIELD))) {
    requestLog(c)?.warn({ path: c.req.path }, "page form refused: missing or wrong CSRF token");
    return messagePage(c, deps.publicUrl, {
      title: "Form refused",
      text: "This form was not sent from a page of this site, or the page is out of date. Go back, reload the page and try again.",
      status: httpStatusFor("forbidden"),
      auth,
    });
  }
  return { auth, form };
}

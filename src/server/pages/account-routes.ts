/**
 * `/account` and its forms: profile, password, link and unlink a sign-in method, revoke a session.
 * Each post answers 303 → GET (a link: 303 → the provider, whose callback returns here).
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, RequestAuth, ServerDeps } from "../env.js";
import { UsersError } from "../../users/index.js";
import { clearSessionCookie } from "../cookies.js";
import { httpStatusFor } from "../http-status.js";
import { accountPage } from "./account-page.js";
import type { AccountPageView, ProfileFields } from "./account-page.js";
import { readFieldForm, typedFields } from "./user-fields-form.js";
import { field } from "./form-body.js";
import { asSentence, messagePage } from "./message-page.js";
import { sendPage } from "./page-response.js";
import { guardPost } from "./post-guard.js";
import { beginOAuth, PROVIDER_START_FAILURES } from "../oauth-begin.js";
import { signInErrorSentence } from "./sign-in-messages.js";

// Notices are chosen by a fixed key: the query string never puts text on the page.
const NOTICES: Record<string, string> = {
  profile: "Your profile was saved.",
  password: "Your password was changed. Your other sessions were signed out.",
  revoked: "That session was signed out.",
  demoted: "You are no longer an administrator.",
  linked: "The sign-in method was linked. You can now sign in with it too.",
  unlinked: "The sign-in method was unlinked.",
};

export function accountRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  const show = async (c: Context<AppEnv>, auth: RequestAuth, extra: Partial<AccountPageView>, status: ContentfulStatusCode = 200) => {
    const [sessions, identities] = await Promise.all([
      deps.users.listSessions(auth.user.id, auth.session.id),
      deps.users.identitiesOf([auth.user]),
    ]);
    return sendPage(c, deps.publicUrl, accountPage({
      auth, sessions, githubWebUrl: deps.githubWebUrl, now: deps.now(), userFields: deps.users.userFields,
      identities: identities.get(auth.user.id) ?? [], providers: deps.users.providers, ...extra,
    }), status);
  };

  app.get("/account", async (c) => {
    const auth = c.get("auth");
    if (!auth) return c.redirect(`/login?${new URLSearchParams({ return_to: `${deps.basePath}/account` })}`, 303);
    const key = c.req.query("saved");
    // A failed link's callback lands here with its code; the sentence is chosen by the code, never echoed.
    const error = c.req.query("error");
    const provider = deps.users.providerDisplayName(c.req.query("provider"));
    return show(c, auth, {
      notice: key !== undefined && Object.hasOwn(NOTICES, key) ? NOTICES[key] : undefined,
      ...(error !== undefined ? { error: { form: "methods" as const, text: signInErrorSentence(error, provider) } } : {}),
    });
  });

  // A POST form, never a GET: a link adds a way into the account, so only this site's page may start one.
  app.post("/account/link/:provider", async (c) => {
    const post = await guardPost(c, deps);
    if (post instanceof Response) return post;
    const provider = c.req.param("provider");
    if (provider !== "github" && !deps.users.hasProvider(provider)) {
      return show(c, post.auth, { error: { form: "methods", text: signInErrorSentence("unknown_provider") } }, httpStatusFor("unknown_provider"));
    }
    try {
      const { authorizationUrl } = await beginOAuth(c, deps, provider, `${deps.basePath}/account?saved=linked`, { linkUserId: post.auth.user.id });
      return c.redirect(authorizationUrl, 303);
    } catch (err) {
      // The provider failing to start the link (discovery) is said on the page, as a failed callback is.
      if (!(err instanceof UsersError) || !PROVIDER_START_FAILURES.has(err.code)) throw err;
      return show(c, post.auth, { error: { form: "methods", text: signInErrorSentence(err.code, deps.users.providerDisplayName(provider)) } }, httpStatusFor(err.code));
    }
  });

  app.post("/account/unlink/:provider", async (c) => {
    const post = await guardPost(c, deps);
    if (post instanceof Response) return post;
    try {
      await deps.users.unlinkProvider(post.auth.user.id, c.req.param("provider"));
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      return show(c, post.auth, { error: { form: "methods", text: asSentence(err.message) } }, httpStatusFor(err.code));
    }
    return c.redirect("/account?saved=unlinked", 303);
  });

  app.post("/account/profile", async (c) => {
    const post = await guardPost(c, deps);
    if (post instanceof Response) return post;
    const profile: ProfileFields = {
      name: field(post.form, "name"),
      email: field(post.form, "email"),
      avatarUrl: field(post.form, "avatar_url"),
      theme: field(post.form, "theme"),
      fields: typedFields(post.form, deps.users.userFields),
    };
    try {
      const appFields = readFieldForm(post.form, deps.users.userFields);
      // "" clears a field (the domain stores null).
      await deps.users.updateProfile(post.auth.user.id, {
        name: profile.name, email: profile.email, avatarUrl: profile.avatarUrl, theme: profile.theme,
        ...(Object.keys(appFields).length > 0 ? { fields: appFields } : {}),
      });
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      return show(c, post.auth, { profile, error: { form: "profile", text: asSentence(err.message) } }, httpStatusFor(err.code));
    }
    return c.redirect("/account?saved=profile", 303);
  });

  app.post("/account/password", async (c) => {
    const post = await guardPost(c, deps);
    if (post instanceof Response) return post;
    const next = field(post.form, "new_password");
    if (next !== field(post.form, "confirm_password")) {
      return show(c, post.auth, { error: { form: "password", text: "The two new passwords are not the same. Type them again." } }, httpStatusFor("invalid_input"));
    }
    const current = post.form.get("current_password") ?? undefined;
    try {
      await deps.users.changePassword(post.auth.user.id, current, next, post.auth.session.id);
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      return show(c, post.auth, { error: { form: "password", text: asSentence(err.message) } }, httpStatusFor(err.code));
    }
    return c.redirect("/account?saved=password", 303);
  });

  // The session's public id travels in the body, not the path: request logs record paths.
  app.post("/account/sessions/revoke", async (c) => {
    const post = await guardPost(c, deps);
    if (post instanceof Response) return post;
    const id = field(post.form, "session");
    try {
      await deps.users.revokeSession(post.auth.user.id, id);
    } catch (err) {
      if (!(err instanceof UsersError) || err.code !== "not_found") throw err;
      return messagePage(c, deps.publicUrl, {
        title: "Session not found", text: "That session has already ended.", status: httpStatusFor(err.code), auth: post.auth,
      });
    }
    if (id === post.auth.session.id) {
      clearSessionCookie(c, deps);
      return c.redirect("/login?signed_out=1", 303);
    }
    return c.redirect("/account?saved=revoked", 303);
  });
}

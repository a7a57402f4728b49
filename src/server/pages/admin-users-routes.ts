/**
 * `/admin/users` and its actions. Anonymous visitors go to sign-in; signed-in non-admins get a 403
 * page. Every action is confirmed on its own page (no JavaScript needed) and answers 303 → the list,
 * which shows the result at once.
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, RequestAuth, ServerDeps } from "../env.js";
import { UsersError } from "../../users/index.js";
import type { Role } from "../../users/index.js";
import { USERNAME_PATTERN } from "../../users/index.js";
import { httpStatusFor } from "../http-status.js";
import { ADMIN_ACTIONS, isAdminAction } from "./admin-actions.js";
import { adminConfirmPage, adminUsersPage, listHref } from "./admin-users-page.js";
import type { AdminUsersView, CreateFields } from "./admin-users-page.js";
import { field } from "./form-body.js";
import { asSentence, messagePage } from "./message-page.js";
import { sendPage } from "./page-response.js";
import { guardPost } from "./post-guard.js";

const PAGE_SIZE = 20;

/** The signed-in admin, or the response for everyone else. */
function adminOrRefuse(c: Context<AppEnv>, deps: ServerDeps): RequestAuth | Response {
  const auth = c.get("auth");
  if (!auth) return c.redirect(`/login?${new URLSearchParams({ return_to: `${deps.basePath}${c.req.path}` })}`, 303);
  if (auth.user.role !== "admin") {
    return messagePage(c, deps.publicUrl, { title: "Not allowed", text: "Only administrators can manage users.", status: httpStatusFor("forbidden"), auth });
  }
  return auth;
}

/** A page number from the query (1 when absent or not a sensible number). */
function pageNumber(value: string | undefined | null): number {
  return value && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : 1;
}

/** Search text from the query, bounded. */
function searchTerm(value: string | undefined | null): string {
  return (value ?? "").trim().slice(0, 100);
}

export function adminUsersRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  const showList = async (c: Context<AppEnv>, auth: RequestAuth, q: string, pageNo: number,
    extra: Partial<AdminUsersView> = {}, status: ContentfulStatusCode = 200) => {
    let page = await deps.users.list({ ...(q !== "" ? { search: q } : {}), limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
    // Past the end (after deletes, or an edited URL): show the last page instead of an empty one.
    if (page.users.length === 0 && page.total > 0 && pageNo > 1) {
      pageNo = Math.ceil(page.total / PAGE_SIZE);
      page = await deps.users.list({ ...(q !== "" ? { search: q } : {}), limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
    }
    const identities = await deps.users.identitiesOf(page.users);
    return sendPage(c, deps.publicUrl, adminUsersPage({
      auth, page, q, pageNo, githubWebUrl: deps.githubWebUrl, now: deps.now(), identities, providers: deps.users.providers, ...extra,
    }), status);
  };

  app.get("/admin/users", async (c) => {
    const auth = adminOrRefuse(c, deps);
    if (auth instanceof Response) return auth;
    const done = c.req.query("done");
    const user = c.req.query("user") ?? "";
    // The notice is built from a fixed action and a checked username: the URL cannot put free text on the page.
    let notice: string | undefined;
    if (USERNAME_PATTERN.test(user)) {
      if (done === "created") notice = `${user} was created.`;
      else if (isAdminAction(done)) notice = ADMIN_ACTIONS[done].done(user);
    }
    return showList(c, auth, searchTerm(c.req.query("q")), pageNumber(c.req.query("page")), { notice });
  });

  app.post("/admin/users", async (c) => {
    const post = await guardPost(c, deps, { admin: true });
    if (post instanceof Response) return post;
    const { form, auth } = post;
    const create: CreateFields = {
      username: field(form, "username").trim().slice(0, 100),
      githubLogin: field(form, "github_login").trim().slice(0, 100),
      role: field(form, "role"),
      name: field(form, "name").slice(0, 300),
      email: field(form, "email").slice(0, 400),
    };
    const refuse = (text: string, status: ContentfulStatusCode) => showList(c, auth, "", 1, { create, error: text }, status);
    if (field(form, "confirm") !== "yes") return refuse("Tick “Give this person access to Gatehouse” to confirm.", httpStatusFor("invalid_input"));
    if (create.role !== "user" && create.role !== "admin") return refuse("Choose a role: User or Admin.", httpStatusFor("invalid_input"));
    const role: Role = create.role;
    const password = field(form, "password");
    try {
      await deps.users.create({
        username: create.username,
        role,
        githubLogin: create.githubLogin === "" ? null : create.githubLogin,
        password: password === "" ? null : password,
        name: create.name,
        email: create.email,
      });
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      return refuse(asSentence(err.message), httpStatusFor(err.code));
    }
    return c.redirect(listHref("", 1, { done: "created", user: create.username.toLowerCase() }), 303);
  });

  app.get("/admin/users/:username/:action", async (c) => {
    const auth = adminOrRefuse(c, deps);
    if (auth instanceof Response) return auth;
    const action = c.req.param("action");
    const q = searchTerm(c.req.query("q"));
    const pageNo = pageNumber(c.req.query("page"));
    const user = isAdminAction(action) ? await findUser(deps, c.req.param("username")) : undefined;
    if (!isAdminAction(action) || !user) {
      return messagePage(c, deps.publicUrl, {
        title: "Not found", text: "There is no such user or action.", status: httpStatusFor("not_found"), auth, next: { href: listHref(q, pageNo), label: "Back to users" },
      });
    }
    const identities = (await deps.users.identitiesOf([user])).get(user.id) ?? [];
    return sendPage(c, deps.publicUrl, adminConfirmPage({ auth, action, user, q, pageNo, identities, providers: deps.users.providers }));
  });

  app.post("/admin/users/:username/:action", async (c) => {
    const post = await guardPost(c, deps, { admin: true });
    if (post instanceof Response) return post;
    const action = c.req.param("action");
    const username = c.req.param("username");
    const q = searchTerm(post.form.get("q"));
    const pageNo = pageNumber(post.form.get("page"));
    if (!isAdminAction(action)) {
      return messagePage(c, deps.publicUrl, { title: "Not found", text: "There is no such action.", status: httpStatusFor("not_found"), auth: post.auth });
    }
    try {
      await ADMIN_ACTIONS[action].run(deps.users, username);
    } catch (err) {
      if (!(err instanceof UsersError)) throw err;
      const user = await findUser(deps, username);
      if (!user) {
        return messagePage(c, deps.publicUrl, {
          title: "Not found", text: asSentence(err.message), status: httpStatusFor("not_found"), auth: post.auth, next: { href: listHref(q, pageNo), label: "Back to users" },
        });
      }
      return sendPage(c, deps.publicUrl, adminConfirmPage({ auth: post.auth, action, user, q, pageNo, error: asSentence(err.message) }), httpStatusFor(err.code));
    }
    // Admins who just removed their own rights would land on a 403 page: their account says what happened.
    if (action === "make-user" && username.trim().toLowerCase() === post.auth.user.username) return c.redirect("/account?saved=demoted", 303);
    return c.redirect(listHref(q, pageNo, { done: action, user: username }), 303);
  });
}

async function findUser(deps: ServerDeps, username: string) {
  try {
    return await deps.users.getByUsername(username);
  } catch (err) {
    if (err instanceof UsersError && (err.code === "not_found" || err.code === "invalid_input")) return undefined;
    throw err;
  }
}

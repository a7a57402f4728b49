/**
 * Server-rendered pages: `/login`, `/account`, `/admin/users`, and their stylesheet. Plain HTML
 * forms that work without JavaScript; every page has a strict CSP, every signed-in form a CSRF
 * token on top of the app's Origin check. `createApp` calls `registerPages` after the API routes.
 */
import type { Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";
import { accountRoutes } from "./account-routes.js";
import { adminUsersRoutes } from "./admin-users-routes.js";
import { faviconRoutes } from "./favicon.js";
import { loginRoutes } from "./login-routes.js";
import { STYLESHEET, STYLESHEET_PATH } from "./styles.js";

/**
 * Adds the page routes to the app.
 *
 * @example
 * const app = new Hono<AppEnv>();
 * registerPages(app, deps); // GET /login, /account, /admin/users ...
 */
export function registerPages(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get(STYLESHEET_PATH, (c) =>
    c.body(STYLESHEET, 200, {
      "content-type": "text/css; charset=utf-8",
      "x-content-type-options": "nosniff",
      // The path is a hash of the content: a changed stylesheet has a new path.
      "cache-control": "public, max-age=31536000, immutable",
    }));
  faviconRoutes(app);
  // The service's home for people is their account (which sends strangers to sign in).
  app.get("/", (c) => c.redirect(c.get("auth") ? "/account" : "/login", 302));
  loginRoutes(app, deps);
  accountRoutes(app, deps);
  adminUsersRoutes(app, deps);
}

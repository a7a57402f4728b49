/**
 * github.com/{login}: the HTML profile page that `html_url` and the services' profile links open.
 * github.com and api.github.com share the emulator's origin, so only a request that asks for HTML
 * (a browser) gets the page; API clients keep api.github.com's JSON 404 for `/{login}`, as there
 * (the REST API's user objects live under `/users/{login}`).
 */
import type { Hono } from "hono";
import type { Core, EmulatorEnv } from "./core.js";
import { messagePage, profilePage } from "./pages.js";

export function registerProfileRoutes(app: Hono<EmulatorEnv>, core: Core): void {
  app.get("/:login", async (c, next) => {
    if (!(c.req.header("accept") ?? "").includes("text/html")) return next();
    const login = c.req.param("login");
    const user = core.dir.findUser(login);
    if (!user) return messagePage("Not Found", `There is no user '${login}' in this emulator.`, 404);
    return profilePage({ login: user.login, name: user.name, bio: user.bio, avatarUrl: core.avatarUrl(c.req.url, user) });
  });
}

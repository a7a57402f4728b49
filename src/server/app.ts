/**
 * The HTTP app: a `fetch(Request) -> Response` handler (Hono). Routes translate HTTP to domain calls
 * and nothing more. Order: request log → client address → session → Origin check → body limits → routes.
 */
import { Hono } from "hono";
import type { AppEnv, ServerDeps } from "./env.js";
import { clientAddress } from "./client-address.js";
import { requestLogger } from "./logger.js";
import { originCheck } from "./origin-check.js";
import { appCors } from "./app-cors.js";
import { jsonBodyLimit } from "./json-body.js";
import { declaresBody } from "./request-header.js";
import { errorToResponse, problem } from "./problem.js";
import { sessionMiddleware } from "./session-middleware.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { checkRoutes } from "./routes/check-routes.js";
import { deviceRoutes } from "./routes/device-routes.js";
import { githubRoutes } from "./routes/github-routes.js";
import { healthRoutes } from "./routes/health-routes.js";
import { providerRoutes } from "./routes/provider-routes.js";
import { sessionRoutes } from "./routes/session-routes.js";
import { browserErrorPages } from "./pages/browser-errors.js";
import { formBodyLimit } from "./pages/form-body.js";
import { registerPages } from "./pages/index.js";
import { codxCompat } from "./compat/codx.js";

/**
 * Builds the app.
 *
 * @example
 * const app = createApp({ users, publicUrl, redirectUri, database, logger, trustProxy: 0, sessionMaxAgeS, githubWebUrl, now: Date.now });
 * const res = await app.fetch(new Request("http://127.0.0.1:3000/healthz"));
 */
export function createApp(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestLogger(deps.logger));
  app.use(async (c, next) => {
    c.set("clientAddress", clientAddress(c, deps.trustProxy));
    await next();
  });
  // API answers carry user data and tokens: no cache may keep them. Set before the route answers,
  // so the answer is built with it (set after, Hono would copy the finished response to add it).
  app.use("/api/*", async (c, next) => {
    c.header("cache-control", "no-store");
    await next();
  });
  // Before anything that may answer: a listed front end must be able to read errors too.
  if (deps.appOrigins.length > 0) app.use("/api/*", appCors(deps.appOrigins));
  // Outside /api/, a browser gets its errors (from the session lookup and the Origin check too) as pages.
  app.use(browserErrorPages(deps.publicUrl));
  app.use(sessionMiddleware(deps));
  app.use(originCheck(deps.publicUrl, deps.appOrigins));
  // Every body is bounded before a route reads it: JSON for the API, forms for the pages.
  // A request declaring no body has nothing to bound (and asking for its body would build one).
  app.use("/api/*", (c, next) => (declaresBody(c) ? jsonBodyLimit(c, next) : next()));
  const formLimit = formBodyLimit(deps.publicUrl);
  app.use(async (c, next) => (c.req.path.startsWith("/api/") || !declaresBody(c) ? next() : formLimit(c, next)));
  healthRoutes(app, deps);
  githubRoutes(app, deps);
  checkRoutes(app, deps);
  providerRoutes(app, deps);
  sessionRoutes(app, deps);
  adminRoutes(app, deps);
  deviceRoutes(app, deps);
  registerPages(app, deps);
  app.notFound((c) => problem(c, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => errorToResponse(err, c, deps.database));
  if (deps.compat === "codx") {
    const outer = codxCompat(app, deps);
    outer.onError((err, c) => errorToResponse(err, c, deps.database));
    return outer;
  }
  return app;
}

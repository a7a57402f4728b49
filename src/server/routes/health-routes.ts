/** `GET /healthz`: the process answers and the database does too. */
import type { Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";
import { problem } from "../problem.js";
import { requestLog } from "../logger.js";

export function healthRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/healthz", async (c) => {
    try {
      await deps.ping();
    } catch (err) {
      requestLog(c)?.error({ err }, "health check: database unreachable");
      return problem(c, "database_unavailable", "the database does not answer");
    }
    return c.json({ status: "ok" });
  });
}

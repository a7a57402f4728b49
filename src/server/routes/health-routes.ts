/**
 * `GET /healthz`: the process answers and the database takes writes (a rate-limited write probe:
 * a read-only or full database answers reads but cannot sign anyone in).
 */
import type { Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";
import { DATABASE_RETRY_AFTER_S } from "../database-health.js";
import { problem } from "../problem.js";

export function healthRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/healthz", async (c) => {
    c.header("cache-control", "no-store");
    // The outage itself is logged once by DatabaseHealth, not at every poll of a load balancer.
    if (!(await deps.database.check())) {
      return problem(c, "database_unavailable", "the database does not take writes", { retryAfter: DATABASE_RETRY_AFTER_S });
    }
    return c.json({ status: "ok" });
  });
}

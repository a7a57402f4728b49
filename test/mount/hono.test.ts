/** A Hono host app with Gatehouse mounted by `gatehouseRoutes(gatehouse)` and routes guarded by `gatehouse/hono`. */
import { Hono } from "hono";
import { getRequestListener } from "@hono/node-server";
import { gatehouseRoutes, requireUser } from "../../src/adapters/hono.js";
import type { GatehouseEnv } from "../../src/adapters/hono.js";
import { hostAppSuite } from "./host-harness.js";

hostAppSuite("Hono", (gatehouse) => {
  const app = new Hono<GatehouseEnv>();
  app.use(gatehouseRoutes(gatehouse));
  app.post("/echo", async (c) => c.text(await c.req.text()));
  app.get("/me", requireUser(gatehouse), (c) => c.json({ username: c.var.user.username, role: c.var.user.role }));
  // `load` adds the app's own fields; the route sees them typed (`plan` is a string here).
  app.get("/plan", requireUser(gatehouse, { load: (user) => ({ ...user, plan: `pro:${user.username}` }) }), (c) => c.json({ plan: c.var.user.plan.toUpperCase() }));
  app.get("/admin", requireUser(gatehouse, { role: "admin" }), (c) => c.json({ ok: true }));
  app.get("/acme", requireUser(gatehouse, { orgs: ["acme"] }), (c) => c.json({ ok: true }));
  app.get("/devs", requireUser(gatehouse, { teams: ["acme/devs"] }), (c) => c.json({ ok: true }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
});

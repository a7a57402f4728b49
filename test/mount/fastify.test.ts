/** Fastify 5 with Gatehouse mounted by `gatehouseHook(gatehouse)` and routes guarded by `requireUser` preHandlers. */
import Fastify from "fastify";
import { gatehouseHook, requireUser } from "../../src/adapters/fastify.js";
import type { GatehouseRequest } from "../../src/adapters/fastify.js";
import { hostAppSuite } from "./host-harness.js";

declare module "fastify" {
  interface FastifyRequest extends Partial<GatehouseRequest<GatehouseRequest["user"] & { plan?: string }>> {}
}

hostAppSuite("Fastify 5", async (gatehouse) => {
  const app = Fastify();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
  app.addHook("onRequest", gatehouseHook(gatehouse));
  app.post("/echo", async (request) => request.body);
  app.get("/me", { preHandler: requireUser(gatehouse) }, async (request) => ({ username: request.user?.username, role: request.user?.role }));
  const plan = requireUser(gatehouse, { load: (user) => ({ ...user, plan: `pro:${user.username}` }) });
  app.get("/plan", { preHandler: plan }, async (request) => ({ plan: request.user?.plan?.toUpperCase() }));
  app.get("/admin", { preHandler: requireUser(gatehouse, { role: "admin" }) }, async () => ({ ok: true }));
  app.get("/acme", { preHandler: requireUser(gatehouse, { orgs: ["acme"] }) }, async () => ({ ok: true }));
  app.get("/devs", { preHandler: requireUser(gatehouse, { teams: ["acme/devs"] }) }, async () => ({ ok: true }));
  await app.ready();
  return (req, res) => app.routing(req, res);
});

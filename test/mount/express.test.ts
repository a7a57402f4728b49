/** Express 5 with Gatehouse mounted by `app.use(toNodeHandler(gatehouse))` and routes guarded by `gatehouse/express`. */
import { createRequire } from "node:module";
import type { IncomingMessage, ServerResponse } from "node:http";
import { requireUser, toNodeHandler } from "../../src/adapters/express.js";
import type { GuardedRequest } from "../../src/adapters/express.js";
import { hostAppSuite } from "./host-harness.js";

// Express ships no types and @types/express is not a dependency: the little used here, typed here.
type Req = IncomingMessage & Partial<GuardedRequest> & { body?: unknown };
type Res = ServerResponse & { json(v: unknown): void; send(v: unknown): void };
type Handler = (req: Req, res: Res, next: (err?: unknown) => void) => void;
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  use(...handlers: Handler[]): void;
  get(path: string, ...handlers: Handler[]): void;
  post(path: string, ...handlers: Handler[]): void;
}
interface ExpressModule {
  (): ExpressApp;
  text(options: { type: string; limit: string }): Handler;
}
const express = createRequire(import.meta.url)("express") as ExpressModule;

hostAppSuite("Express 5", (gatehouse) => {
  const app = express();
  app.use(toNodeHandler(gatehouse));
  app.post("/echo", express.text({ type: "*/*", limit: "1mb" }), (req, res) => res.send(req.body));
  app.get("/me", requireUser(gatehouse), (req, res) => res.json({ username: req.user?.username, role: req.user?.role }));
  app.get("/plan", requireUser(gatehouse, { load: async (user) => ({ ...user, plan: `pro:${user.username}` }) }),
    (req, res) => res.json({ plan: (req as Req & Partial<GuardedRequest<{ plan: string }>>).user?.plan.toUpperCase() }));
  app.get("/admin", requireUser(gatehouse, { role: "admin" }), (_req, res) => res.json({ ok: true }));
  app.get("/acme", requireUser(gatehouse, { orgs: ["acme"] }), (_req, res) => res.json({ ok: true }));
  app.get("/devs", requireUser(gatehouse, { teams: ["acme/devs"] }), (_req, res) => res.json({ ok: true }));
  return app;
});

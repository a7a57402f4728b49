/** Plain `node:http` with Gatehouse mounted by `toNodeHandler(gatehouse)` and routes guarded by `gatehouse/node`'s `requireUser`. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { requireUser, toNodeHandler } from "../../src/adapters/node.js";
import type { ExpressGuard, GuardedRequest } from "../../src/adapters/node.js";
import type { User } from "../../src/index.js";
import { hostAppSuite } from "./host-harness.js";

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

hostAppSuite("node:http", (gatehouse) => {
  const mounted = toNodeHandler(gatehouse);
  const me = (req: IncomingMessage & Partial<GuardedRequest<User>>, res: ServerResponse) => json(res, { username: req.user?.username, role: req.user?.role });
  const ok = (_req: unknown, res: ServerResponse) => json(res, { ok: true });
  const routes: Record<string, [ExpressGuard<User> | ExpressGuard<User & { plan: string }>, (req: IncomingMessage & Partial<GuardedRequest<User & { plan: string }>>, res: ServerResponse) => void]> = {
    "/me": [requireUser(gatehouse), me],
    "/plan": [requireUser(gatehouse, { load: (user) => ({ ...user, plan: `pro:${user.username}` }) }), (req, res) => json(res, { plan: req.user?.plan.toUpperCase() })],
    "/admin": [requireUser(gatehouse, { role: "admin" }), ok],
    "/acme": [requireUser(gatehouse, { orgs: ["acme"] }), ok],
    "/devs": [requireUser(gatehouse, { teams: ["acme/devs"] }), ok],
  };
  return (req, res) => mounted(req, res, () => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes[path];
    if (route !== undefined && req.method === "GET") {
      const [guard, handler] = route;
      return guard(req, res, (err) => (err === undefined ? handler(req, res) : res.writeHead(500).end()));
    }
    if (path === "/echo" && req.method === "POST") {
      res.writeHead(200, { "content-type": "text/plain" });
      req.pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
});

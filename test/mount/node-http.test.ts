/** Plain `node:http` with Gatehouse mounted by `toNodeHandler(gatehouse)` and `gatehouse.authenticate(req)` guarding by hand. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { toNodeHandler } from "../../src/adapters/node.js";
import { checkAccess } from "../../src/server/access.js";
import type { AccessRule } from "../../src/server/access.js";
import type { Gatehouse } from "../../src/index.js";
import { hostAppSuite } from "./host-harness.js";

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": status >= 400 ? "application/problem+json" : "application/json" }).end(JSON.stringify(body));
}

async function guarded(gatehouse: Gatehouse, req: IncomingMessage, res: ServerResponse, rule: AccessRule): Promise<void> {
  const result = await checkAccess(gatehouse.users, await gatehouse.authenticate(req), rule);
  if (result.outcome === "unauthenticated") {
    if ((req.headers.accept ?? "").includes("text/html")) {
      res.writeHead(303, { location: `${gatehouse.publicUrl.toString().replace(/\/$/, "")}/login?return_to=${encodeURIComponent(req.url ?? "/")}` }).end();
    } else {
      json(res, 401, { code: "unauthenticated" });
    }
    return;
  }
  if (result.outcome === "forbidden") return json(res, 403, { code: "forbidden" });
  if (req.url === "/plan") return json(res, 200, { plan: `pro:${result.auth.user.username}`.toUpperCase() });
  json(res, 200, { username: result.auth.user.username, role: result.auth.user.role });
}

hostAppSuite("node:http", (gatehouse) => {
  const mounted = toNodeHandler(gatehouse);
  const rules: Record<string, AccessRule> = { "/me": {}, "/plan": {}, "/admin": { role: "admin" }, "/acme": { orgs: ["acme"] }, "/devs": { teams: ["acme/devs"] } };
  return (req, res) => mounted(req, res, () => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const rule = rules[path];
    if (rule !== undefined && req.method === "GET") return void guarded(gatehouse, req, res, rule);
    if (path === "/echo" && req.method === "POST") {
      res.writeHead(200, { "content-type": "text/plain" });
      req.pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
});

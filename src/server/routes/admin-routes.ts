/** Admin-only user management. Every route checks the session first (401), then the role (403). */
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, ServerDeps } from "../env.js";
import { readJson } from "../json-body.js";
import { requireAdmin } from "../session-middleware.js";
import { userJson } from "../../wire/user-json.js";
import { UsersError } from "../../users/index.js";

const createBody = z.strictObject({
  username: z.string(),
  role: z.enum(["admin", "user"]).optional(),
  github_login: z.string().nullable().optional(),
  password: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});
const patchBody = z.strictObject({
  role: z.enum(["admin", "user"]).optional(),
  disabled: z.boolean().optional(),
  // Checked field by field in the domain (declared, of its type).
  fields: z.record(z.string(), z.unknown()).optional(),
});

function intParam(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  // A query parameter, not a body: the domain's invalid_input (with the field), not invalid_json.
  if (!/^\d{1,6}$/.test(value)) throw new UsersError("invalid_input", `${name} must be an integer from 0 to 999999`, { field: name });
  return Number(value);
}

export function adminRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/api/users", async (c) => {
    requireAdmin(c);
    const search = c.req.query("search");
    const page = await deps.users.list({
      ...(search !== undefined ? { search } : {}),
      limit: intParam(c.req.query("limit"), "limit", 50),
      offset: intParam(c.req.query("offset"), "offset", 0),
    });
    // The page's identities in one query (not one per user).
    const identities = await deps.users.identitiesOf(page.users);
    return c.json({ users: page.users.map((u) => userJson(u, identities.get(u.id) ?? [])), total: page.total, limit: page.limit, offset: page.offset });
  });

  app.post("/api/users", async (c) => {
    requireAdmin(c);
    const body = await readJson(c, createBody);
    const user = await deps.users.create({
      username: body.username,
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.github_login !== undefined ? { githubLogin: body.github_login } : {}),
      ...(body.password !== undefined ? { password: body.password } : {}),
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.email !== undefined ? { email: body.email } : {}),
    });
    return c.json({ user: userJson(user) }, 201);
  });

  app.patch("/api/users/:username", async (c) => {
    requireAdmin(c);
    const body = await readJson(c, patchBody);
    const user = await deps.users.update(c.req.param("username"), {
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.fields !== undefined ? { fields: body.fields } : {}),
    });
    return c.json({ user: userJson(user) });
  });

  app.delete("/api/users/:username", async (c) => {
    requireAdmin(c);
    await deps.users.delete(c.req.param("username"));
    return c.body(null, 204);
  });
}

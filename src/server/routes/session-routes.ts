/** Password login, logout, own profile, own password and own sessions. */
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, ServerDeps } from "../env.js";
import { clearSessionCookie } from "../cookies.js";
import { readJson } from "../json-body.js";
import { requireUser } from "../session-middleware.js";
import { sessionJson, userJson } from "../../wire/user-json.js";
import { clientInfo, startSession } from "../sign-in-response.js";

const loginBody = z.object({ username: z.string(), password: z.string() });
// Strict: username, role and disabled are not the owner's to change; saying so beats ignoring them.
const profileBody = z.strictObject({
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  avatar: z.string().nullable().optional(),
  theme: z.string().nullable().optional(),
  // Checked field by field in the domain (declared, of its type, settable by the user).
  fields: z.record(z.string(), z.unknown()).optional(),
});
const passwordBody = z.object({ current_password: z.string().optional(), new_password: z.string() });

export function sessionRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.post("/api/users/login", async (c) => {
    const body = await readJson(c, loginBody);
    const signedIn = await deps.users.signInWithPassword(body.username, body.password, clientInfo(c));
    return startSession(c, deps, signedIn);
  });

  app.post("/api/users/logout", async (c) => {
    const auth = requireUser(c);
    await deps.users.signOut(auth.token);
    clearSessionCookie(c, deps);
    return c.body(null, 204);
  });

  app.get("/api/users/me", async (c) => {
    const auth = requireUser(c);
    return c.json({ user: userJson(auth.user, auth.identities), session: sessionJson(auth.session) });
  });

  app.put("/api/users", async (c) => {
    const auth = requireUser(c);
    const body = await readJson(c, profileBody);
    const user = await deps.users.updateProfile(auth.user.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.email !== undefined ? { email: body.email } : {}),
      ...(body.avatar !== undefined ? { avatarUrl: body.avatar } : {}),
      ...(body.theme !== undefined ? { theme: body.theme } : {}),
      ...(body.fields !== undefined ? { fields: body.fields } : {}),
    });
    return c.json({ user: userJson(user) });
  });

  app.put("/api/users/password", async (c) => {
    const auth = requireUser(c);
    const body = await readJson(c, passwordBody);
    await deps.users.changePassword(auth.user.id, body.current_password, body.new_password, auth.session.id);
    return c.body(null, 204);
  });

  app.get("/api/users/me/sessions", async (c) => {
    const auth = requireUser(c);
    const sessions = await deps.users.listSessions(auth.user.id, auth.session.id);
    return c.json({ sessions: sessions.map(sessionJson) });
  });

  app.delete("/api/users/me/sessions/:id", async (c) => {
    const auth = requireUser(c);
    await deps.users.revokeSession(auth.user.id, c.req.param("id"));
    if (c.req.param("id") === auth.session.id && auth.via === "cookie") clearSessionCookie(c, deps);
    return c.body(null, 204);
  });
}

/**
 * `GATEHOUSE_COMPAT=codx`: the wire format of codx-junior's front end on the `/api/users*` routes,
 * translated at the HTTP edge. Each call is rewritten into Gatehouse's own request and sent through
 * the whole app (session lookup, Origin check, body limits, validation, rate limits), and the answer
 * is rewritten back; nothing here decides who someone is beyond checking that a token is a live
 * session, which is what every authenticated route does.
 *
 * What that front end does: it keeps the whole sign-in answer as its user and reads `token`,
 * `username`, `email`, `avatar`, `role`, `theme`, `projects` and `apps` straight off it (a flat user
 * with its token); it sends `Authentication: Bearer <token>` and appends `?codx_path=…` to every
 * URL; on each page load it posts the stored user (token, no password) to `POST /api/users/login`;
 * its settings page puts the whole stored user to `PUT /api/users`; after sign-in it lists
 * `GET /api/users` as an array of `{username, avatar}`.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv, ServerBindings, ServerDeps } from "../env.js";
import { jsonBodyLimit } from "../json-body.js";
import { declaresBody } from "../request-header.js";
import { bearerFrom } from "../request-auth.js";
import { clientAddress } from "../client-address.js";
import { problem } from "../problem.js";
import { appCors } from "../app-cors.js";
import { userJson } from "../../wire/user-json.js";
import type { User } from "../../users/index.js";

type Json = Record<string, unknown>;

/** Fields of the stored user the owner may not change: ignored when sent unchanged, refused when changed. */
const READ_ONLY = ["username", "role", "disabled", "github", "token"] as const;
/** What the settings page may change, under the names the front end uses. */
const EDITABLE = ["name", "email", "avatar", "theme"] as const;

/**
 * codx's default theme is daisyUI's `dim` (its user model's default); Gatehouse's closed set has
 * `system` for "the app's default". They stand for each other here; `light` and `dark` are the same
 * in both, and any other daisyUI name is refused by the domain (400 naming `theme`).
 */
const CODX_DEFAULT_THEME = "dim";

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * A user as the front end keeps it: Gatehouse's user JSON with the app-defined fields (`projects`,
 * `apps`, …) at the top level (never over a field of Gatehouse's own) and, when given, the token.
 */
export function codxUser(user: Json, token?: string): Json {
  const { fields, ...rest } = user;
  const flat: Json = { ...rest };
  if (isObject(fields)) for (const [k, v] of Object.entries(fields)) if (!(k in rest)) flat[k] = v;
  if (flat["theme"] === "system") flat["theme"] = CODX_DEFAULT_THEME;
  if (token !== undefined) flat["token"] = token;
  return flat;
}

/** The bearer token of `Authorization` or, as the front end spells it, `Authentication` (never a cookie). */
function presentedToken(headers: Headers): string | undefined {
  const token = bearerFrom(headers.get("authorization") ?? headers.get("authentication") ?? undefined);
  // The front end sends "Bearer undefined" before anyone has signed in.
  return token === undefined || token === "undefined" || token === "null" ? undefined : token;
}

/** Gatehouse's own request for a front-end call: `codx_path` dropped, `Authentication` as `Authorization`. */
function innerRequest(req: Request, init: { method?: string; path?: string; body?: string | null; asJson?: boolean }): Request {
  const url = new URL(req.url);
  url.searchParams.delete("codx_path");
  if (init.path !== undefined) url.pathname = init.path;
  const headers = new Headers(req.headers);
  const token = presentedToken(headers);
  headers.delete("authentication");
  headers.delete("transfer-encoding");
  headers.delete("authorization");
  if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
  const method = init.method ?? req.method;
  const body = init.body === undefined ? null : init.body;
  headers.delete("content-length");
  if (body === null) headers.delete("content-type");
  else if (init.asJson === true) headers.set("content-type", "application/json");
  return new Request(url, { method, headers, body });
}

async function jsonOf(res: Response): Promise<Json | undefined> {
  try {
    const v: unknown = await res.clone().json();
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A new JSON answer carrying the inner answer's status and headers (its cookies included). */
function answer(inner: Response, body: unknown): Response {
  const headers = new Headers(inner.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status: inner.status, headers });
}

/** A request body: parsed when it is JSON (then it may be rewritten), else forwarded as it came. */
type Body = { json: true; value: unknown } | { json: false; text: string | null };

async function readBody(c: Context<AppEnv>): Promise<Body> {
  if (!declaresBody(c)) return { json: false, text: null };
  const text = await c.req.text();
  // Only a JSON body is translated: anything else goes on untouched, content type included, so the
  // inner app refuses it exactly as it would (415 for a form post).
  if (!/^application\/json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) return { json: false, text };
  try {
    return { json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { json: false, text };
  }
}

/**
 * Wraps the app: `/api/users` and `/api/users/*` speak codx's format; everything else is untouched.
 *
 * @example
 * const app = codxCompat(createApp(deps), deps);
 */
export function codxCompat(inner: Hono<AppEnv>, deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // The inner app reads the client's address from the bindings (or X-Forwarded-For, whose header is kept).
  const bindings = (c: Context<AppEnv>): ServerBindings => {
    const address = clientAddress(c, 0);
    return address === undefined ? {} : { clientAddress: address };
  };
  const send = async (c: Context<AppEnv>, init: { method?: string; path?: string; body?: string | null; asJson?: boolean } = {}) =>
    inner.fetch(innerRequest(c.req.raw, init), bindings(c));
  /** Forwards a call whose body needs no translation. */
  const pass = (c: Context<AppEnv>, body: Body) => send(c, body.json ? { body: JSON.stringify(body.value), asJson: true } : { body: body.text });

  // The front end sends its token as `Authentication` (and `x-sid`): a listed origin's preflight must allow them.
  if (deps.appOrigins.length > 0) app.use("/api/users/*", appCors(deps.appOrigins, ["authentication", "x-sid"]));
  if (deps.appOrigins.length > 0) app.use("/api/users", appCors(deps.appOrigins, ["authentication", "x-sid"]));
  // Bounded before the translation reads a body, as the inner app bounds its own.
  app.use("/api/users/*", (c, next) => (declaresBody(c) ? jsonBodyLimit(c, next) : next()));
  app.use("/api/users", (c, next) => (declaresBody(c) ? jsonBodyLimit(c, next) : next()));

  app.post("/api/users/login", async (c) => {
    const read = await readBody(c);
    const body = read.json ? read.value : undefined;
    if (isObject(body) && typeof body["password"] === "string") {
      // A sign-in: only the credentials go on (the stored user may ride along).
      const res = await send(c, { body: JSON.stringify({ username: body["username"], password: body["password"] }), asJson: true });
      return signInAnswer(res);
    }
    if (isObject(body) && typeof body["token"] === "string") {
      // Session restore: the stored token must be a live session; no session is made from it.
      const found = await deps.users.authenticate(body["token"]);
      if (found === undefined) return problem(c, "unauthenticated", "the session has ended; sign in again");
      c.header("cache-control", "no-store");
      return c.json(codxUser(userJson(found.user), body["token"]));
    }
    return pass(c, read);
  });

  app.post("/api/users/oauth-login", async (c) => signInAnswer(await pass(c, await readBody(c))));

  app.put("/api/users", async (c) => {
    const read = await readBody(c);
    const me = await send(c, { method: "GET", path: "/api/users/me", body: null });
    if (me.status !== 200) return me;
    if (!read.json || !isObject(read.value)) return pass(c, read);
    const body = read.value;
    const current = codxUser(((await jsonOf(me)) ?? {})["user"] as Json, presentedToken(c.req.raw.headers));
    for (const key of READ_ONLY) {
      if (key in body && !sameJson(body[key], current[key])) {
        return problem(c, "invalid_input", `${key} cannot be changed here`, { field: key });
      }
    }
    // What the front end stored is what it may send back; a key Gatehouse never gave is refused, as without compat.
    const unknown = Object.keys(body).find((k) => !(k in current));
    if (unknown !== undefined) return problem(c, "invalid_input", `unknown field ${JSON.stringify(unknown)}`, { field: unknown });
    const update: Json = {};
    for (const key of EDITABLE) if (key in body && !sameJson(body[key], current[key])) update[key] = body[key];
    if (update["theme"] === CODX_DEFAULT_THEME) update["theme"] = "system";
    const fields: Json = {};
    for (const def of deps.users.userFields) {
      // A field under one of Gatehouse's own names is not flattened, so it is not read from the top level either.
      if (def.name in body && !(EDITABLE as readonly string[]).includes(def.name) && !(READ_ONLY as readonly string[]).includes(def.name) &&
          !sameJson(body[def.name], current[def.name])) fields[def.name] = body[def.name];
    }
    if (Object.keys(fields).length > 0) update["fields"] = fields;
    const res = await send(c, { body: JSON.stringify(update), asJson: true });
    const json = await jsonOf(res);
    if (res.status !== 200 || json === undefined || !isObject(json["user"])) return res;
    return answer(res, codxUser(json["user"], presentedToken(c.req.raw.headers)));
  });

  app.get("/api/users", async (c) => {
    // With paging asked for, the admin list as without compat (admins only).
    const q = new URL(c.req.url).searchParams;
    if (q.has("search") || q.has("limit") || q.has("offset")) return send(c, { body: null });
    const me = await send(c, { method: "GET", path: "/api/users/me", body: null });
    if (me.status !== 200) return me;
    const viewer = (await jsonOf(me))?.["user"];
    const isAdmin = isObject(viewer) && viewer["role"] === "admin";
    const users: User[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await deps.users.list({ limit: 200, offset });
      users.push(...page.users);
      if (page.users.length === 0 || users.length >= page.total) break;
    }
    c.header("cache-control", "no-store");
    // Everyone signed in sees who else is here (name and picture); only admins see more.
    return c.json(users.map((u) => (isAdmin ? codxUser(userJson(u)) : { username: u.username, avatar: u.avatarUrl })));
  });

  app.all("/api/users", async (c) => pass(c, await readBody(c)));
  app.all("/api/users/*", async (c) => pass(c, await readBody(c)));
  app.all("*", (c) => inner.fetch(c.req.raw, c.env));
  return app;
}

/** `{ user, token }` → the flat user with its token; problems pass through. */
async function signInAnswer(res: Response): Promise<Response> {
  const json = await jsonOf(res);
  if (res.status !== 200 || json === undefined || !isObject(json["user"]) || typeof json["token"] !== "string") return res;
  return answer(res, codxUser(json["user"], json["token"]));
}

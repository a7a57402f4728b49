/**
 * Who a request is, in one place: the session token from `Authorization: Bearer` (API clients) or
 * the session cookie (browsers), then one indexed session lookup. Used by the app's session
 * middleware, `gatehouse.authenticate(request)`, the host-app guards and `/auth/check`.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { parse as parseCookies } from "hono/utils/cookie";
import type { Authenticated, Users } from "../users/index.js";
import { SESSION_COOKIE } from "./cookies.js";
import type { AuthVia } from "./env.js";

/** A request whose headers can be read: a Web `Request` or a Node `IncomingMessage` (Express's and Fastify's `req.raw` are ones). */
export type AnyRequest = Request | IncomingMessage | { headers: Headers | IncomingHttpHeaders };

/** A session token and where it came from. */
export interface SessionToken {
  token: string;
  via: AuthVia;
}

function header(headers: Headers | IncomingHttpHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The bearer token of an `Authorization` header value, if it is one. */
export function bearerFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(value)?.[1];
}

/**
 * The session token a request carries: a Bearer token wins over the cookie.
 *
 * @example
 * sessionToken(new Headers({ authorization: "Bearer abc" })); // { token: "abc", via: "bearer" }
 */
export function sessionToken(headers: Headers | IncomingHttpHeaders): SessionToken | undefined {
  const bearer = bearerFrom(header(headers, "authorization"));
  if (bearer !== undefined) return { token: bearer, via: "bearer" };
  const cookies = header(headers, "cookie");
  if (cookies === undefined) return undefined;
  const value = parseCookies(cookies, SESSION_COOKIE)[SESSION_COOKIE];
  return value === undefined || value === "" ? undefined : { token: value, via: "cookie" };
}

/**
 * The signed-in user and session of a request, or `null`: one indexed lookup when a token is
 * present, none otherwise.
 *
 * @example
 * const auth = await authenticateRequest(gatehouse.users, request); // { user, session } | null
 */
export async function authenticateRequest(users: Users, request: AnyRequest): Promise<Authenticated | null> {
  const found = sessionToken(request.headers);
  if (found === undefined) return null;
  return (await users.authenticate(found.token)) ?? null;
}

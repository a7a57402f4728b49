/**
 * Reading a request header without copying them all: under Node, the app gets the
 * IncomingMessage, whose headers Node has already parsed; going through `c.req.header()` would
 * first build a Fetch `Headers` from them on every request. Hosts that pass only a `Request` get
 * its headers as usual.
 */
import type { Context } from "hono";
import type { AppEnv, ServerBindings } from "./env.js";

/**
 * What the host bound to this request: under Node, the IncomingMessage the Request was made from.
 *
 * @example
 * const socket = bindings(c)?.incoming?.socket;
 */
export function bindings(c: Context<AppEnv>): ServerBindings | undefined {
  return c.env as ServerBindings | undefined;
}

/**
 * The header's value (lower-case `name`), several lines joined with ", " as `Headers.get` does.
 *
 * @example
 * const cookie = requestHeader(c, "cookie");
 */
export function requestHeader(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = bindings(c)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  if (value === undefined) return undefined;
  // Node joins repeated headers itself ("; " for Cookie), except Set-Cookie, which a request has no business sending.
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Whether the request may have a body, so a body size limit has something to bound. Under Node
 * the message has none without Content-Length or Transfer-Encoding (RFC 9112 §6.3: Node's parser
 * reads none then); a `Request` a host made itself may stream one without either, so there its
 * `body` decides.
 *
 * @example
 * if (declaresBody(c)) await limit(c, next);
 */
export function declaresBody(c: Context<AppEnv>): boolean {
  const incoming = bindings(c)?.incoming;
  if (incoming === undefined) return c.req.raw.body !== null;
  return incoming.headers["content-length"] !== undefined || incoming.headers["transfer-encoding"] !== undefined;
}

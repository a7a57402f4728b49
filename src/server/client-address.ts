/**
 * The client's address, for rate limits and the session list: the socket's address, or — only when
 * configured to trust N proxies — the N-th address from the right of `X-Forwarded-For` (the
 * left-most entries are whatever the client wrote).
 */
import type { Context } from "hono";
import type { AppEnv } from "./env.js";
import { bindings } from "./request-header.js";

export function clientAddress(c: Context<AppEnv>, trustProxy: number): string | undefined {
  if (trustProxy > 0) {
    const chain = (c.req.header("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const hop = chain[chain.length - trustProxy];
    if (hop !== undefined) return hop.slice(0, 100);
  }
  const env = bindings(c);
  return env?.clientAddress ?? env?.incoming?.socket.remoteAddress ?? undefined;
}

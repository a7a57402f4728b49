/**
 * The `fetch` the service gives its GitHub client under Node: the same request over node:http /
 * node:https on keep-alive connections. Node's global `fetch` (undici) spends about twice the CPU
 * per request on this path (Web streams, its request/response objects), and a sign-in makes three
 * requests to GitHub. Only what the client sends is handled here — a string body or none, never a
 * redirect followed — anything else goes to the global `fetch` unchanged.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { FetchLike } from "../github/index.js";
import { BufferedResponse } from "./buffered-response.js";

/** A `fetch` for the GitHub client and a way to close its idle connections. */
export interface NodeFetch {
  fetch: FetchLike;
  /** Closes the kept connections; a request after it opens new ones. */
  close(): void;
}

function plainHeaders(init: HeadersInit | undefined): OutgoingHttpHeaders {
  if (init === undefined) return {};
  if (init instanceof Headers || Array.isArray(init)) return Object.fromEntries(new Headers(init));
  return { ...init };
}

/**
 * How long a kept connection may sit idle before this side closes it (undici's default too). A
 * server closes idle connections on its own schedule; a request written on one it has just closed
 * fails, so idle ones are not kept longer than servers commonly keep them.
 */
export const IDLE_CONNECTION_MS = 4_000;

/**
 * A Node `fetch` for the GitHub client (`GitHubOAuthOptions.fetch`): keep-alive agents per
 * instance, idle sockets closed after `idleMs`; `close()` ends the idle sockets at once (they
 * never keep the process alive meanwhile).
 *
 * @example
 * const transport = nodeFetch();
 * const github = new GitHubOAuth({ clientId, clientSecret, fetch: transport.fetch });
 * // … on shutdown:
 * transport.close();
 */
export function nodeFetch(options: { idleMs?: number } = {}): NodeFetch {
  // An agent's socket timeout ends only free (idle) sockets; a request in flight keeps its own.
  const agent = { keepAlive: true, timeout: options.idleMs ?? IDLE_CONNECTION_MS };
  const http = new HttpAgent(agent);
  const https = new HttpsAgent(agent);
  const fetch: FetchLike = (input, init) => {
    const url = new URL(input);
    const secure = url.protocol === "https:";
    if ((!secure && url.protocol !== "http:") || (init.body != null && typeof init.body !== "string") || init.redirect !== "manual") {
      return globalThis.fetch(input, init);
    }
    const body = init.body ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      const options = { method: init.method ?? "GET", headers: plainHeaders(init.headers), ...(init.signal ? { signal: init.signal } : {}) };
      const onResponse = (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          try {
            resolve(new BufferedResponse(res.statusCode ?? 502, res.statusMessage ?? "", res.rawHeaders, url.href, new Uint8Array(Buffer.concat(chunks))));
          } catch (err) {
            reject(err);
          }
        });
        res.on("error", reject);
        // Cut before its end (the signal, a reset): not a response (a settled promise ignores this).
        res.on("close", () => {
          if (!res.complete) reject(new Error("the response ended before its body"));
        });
      };
      const req = secure ? httpsRequest(url, { ...options, agent: https }, onResponse) : httpRequest(url, { ...options, agent: http }, onResponse);
      req.on("error", reject);
      req.end(body);
    });
  };
  return {
    fetch,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

/** One HTTP exchange with GitHub: common headers, a time limit on the whole exchange, typed failures. */
import { GitHubNetworkError } from "./errors.js";

/**
 * The `fetch` the client calls: `globalThis.fetch` fits, and so does any function with this shape
 * (a proxy-aware fetch, a test stub).
 *
 * @example
 * ```ts
 * const github = new GitHubOAuth({ clientId, fetch: (url, init) => fetch(url, { ...init, keepalive: true }) });
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Settings shared by every request of one client. */
export interface Transport {
  fetch: FetchLike;
  timeoutMs: number;
  userAgent: string;
  apiVersion: string;
}

/** A request to send. `operation` ("POST /login/oauth/access_token") names it in errors. */
export interface WireRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  operation: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
}

/** A response read to the end. */
export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends `request` with `User-Agent` (GitHub refuses requests without one) and
 * `X-GitHub-Api-Version`, bounded by `timeoutMs` including the body, and combined with the
 * caller's signal. Failures become {@link GitHubNetworkError}.
 */
export async function send(transport: Transport, request: WireRequest): Promise<WireResponse> {
  // Our own timer rather than AbortSignal.timeout: it is cleared as soon as the exchange ends,
  // and (in Node) it keeps the process alive while a request is pending.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException("GitHub request timed out", "TimeoutError")), transport.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout.signal, request.signal]) : timeout.signal;
  const init: RequestInit = {
    method: request.method,
    headers: { ...request.headers, "User-Agent": transport.userAgent, "X-GitHub-Api-Version": transport.apiVersion },
    signal,
    // Never follow a redirect: a 307 would replay the client secret, code or token to wherever
    // it points. GitHub's OAuth and user endpoints do not redirect; a 3xx is reported as such.
    redirect: "manual",
  };
  if (request.body !== undefined) init.body = request.body;
  try {
    const res = await transport.fetch(request.url, init);
    const text = await res.text();
    // Read only if asked for (errors, pagination, scopes): building a Headers costs more than the rest.
    return { status: res.status, get headers() { return res.headers; }, text };
  } catch (err) {
    if (request.signal?.aborted) throw new GitHubNetworkError("aborted", request.operation, request.signal.reason);
    if (timeout.signal.aborted) throw new GitHubNetworkError("timeout", request.operation, err);
    throw new GitHubNetworkError("network", request.operation, err);
  } finally {
    clearTimeout(timer);
  }
}

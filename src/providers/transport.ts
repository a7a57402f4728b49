/**
 * How a provider talks HTTP: through oauth4webapi's `customFetch` hook, each request with its own
 * timeout, a network failure turned into `ProviderError("unavailable")` naming only the host.
 */
import * as oauth from "oauth4webapi";
import { ProviderError } from "./errors.js";
import { isLoopback } from "./urls.js";

/** The request options every oauth4webapi call of one provider gets. */
export interface HttpOptions {
  signal: () => AbortSignal;
  [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) => Promise<Response>;
  [oauth.allowInsecureRequests]?: boolean;
}

/** A provider's transport: the oauth4webapi options, and `fetch` for requests made directly. */
export interface Transport {
  options: HttpOptions;
  /** `fetch` with the timeout and the failure mapping, for the plain OAuth 2 userinfo request. */
  fetch(url: string, init: RequestInit): Promise<Response>;
}

/** Whether an error is an abort by a timeout signal (thrown by fetch or while reading a body). */
export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

/**
 * Builds the transport of provider `name`. Plain http is let through oauth4webapi only when the
 * provider was configured on the loopback interface (`loopback`): its URLs were checked already.
 *
 * @example
 * const t = createTransport("gitlab", { fetch, timeoutMs: 10_000, loopback: false });
 * await oauth.discoveryRequest(new URL("https://gitlab.com"), t.options);
 */
export function createTransport(name: string, options: { fetch: typeof fetch; timeoutMs: number; loopback: boolean }): Transport {
  const send = async (url: string, init: RequestInit): Promise<Response> => {
    try {
      return await options.fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(options.timeoutMs) });
    } catch (err) {
      // Only the host: a URL may carry a query the provider considers private.
      const host = URL.canParse(url) ? new URL(url).host : "the provider";
      throw new ProviderError("unavailable", isTimeout(err)
        ? `${name}: ${host} did not answer within ${options.timeoutMs} ms`
        : `${name}: ${host} could not be reached`, { cause: err });
    }
  };
  const httpOptions: HttpOptions = {
    signal: () => AbortSignal.timeout(options.timeoutMs),
    [oauth.customFetch]: (url, init) => send(url, init as RequestInit),
  };
  if (options.loopback) httpOptions[oauth.allowInsecureRequests] = true;
  return { options: httpOptions, fetch: send };
}

/** Whether a provider has a plain-http URL (allowed only on the loopback interface: tests, local development). */
export function needsInsecureLoopback(urls: readonly string[]): boolean {
  return urls.some((u) => URL.canParse(u) && new URL(u).protocol === "http:" && isLoopback(new URL(u)));
}

/** A fetch stub for wire-level tests: records each request (method, URL, headers, body) and answers from a script. */
import type { FetchLike } from "../../src/github/index.js";

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  signal: AbortSignal | undefined;
}

export type Responder = (req: Recorded, index: number) => Response | Promise<Response>;

export function stubFetch(responder: Responder): { fetch: FetchLike; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetch: FetchLike = async (input, init) => {
    const req: Recorded = {
      method: init.method ?? "GET",
      url: new URL(input),
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : "",
      signal: init.signal ?? undefined,
    };
    calls.push(req);
    return responder(req, calls.length - 1);
  };
  return { fetch, calls };
}

/** Answers the scripted responses in order; fails the test when more requests arrive. */
export function script(...responses: Array<() => Response>): Responder {
  return (_req, i) => {
    const next = responses[i];
    if (!next) throw new Error(`unexpected request #${i + 1}`);
    return next();
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): () => Response {
  return () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export function text(body: string, contentType: string, status = 200, headers: Record<string, string> = {}): () => Response {
  return () => new Response(body, { status, headers: { "content-type": contentType, ...headers } });
}

export function empty(status: number): () => Response {
  return () => new Response(null, { status });
}

/** The form fields of a recorded body. */
export function form(req: Recorded): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(req.body));
}

export const CLIENT_ID = "Iv1.0123456789abcdef";
export const CLIENT_SECRET = "s3cr3t-client-secret-value-0123456789abcdef";

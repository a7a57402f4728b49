/** Calls to GitHub's REST API: auth, JSON, error mapping, invalid bodies. */
import { apiError } from "./api-errors.js";
import { GitHubApiError, GitHubUsageError } from "./errors.js";
import { ShapeError } from "./fields.js";
import { parseScopes } from "./scopes.js";
import { send, type Transport } from "./transport.js";

/** What a REST call needs from the client. */
export interface RestContext {
  transport: Transport;
  apiUrl: string;
  now: () => number;
}

/** A REST call: `auth` is the full `Authorization` value. */
export interface RestCall {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  auth: string;
  json?: unknown;
  /** Resolve with `null` instead of throwing `not_found` on 404. */
  nullOn404?: boolean;
  /** Absolute URL to call instead of `apiUrl + path` (pagination). */
  url?: string;
  /**
   * Scopes any of which the endpoint accepts (implying ones included). GitHub answers some
   * endpoints 404 when the token lacks them; a 404 whose `X-OAuth-Scopes` names none of them is
   * then `forbidden`, not "not found".
   */
  scopes?: readonly string[];
}

/** A successful REST response: parsed JSON body (`undefined` when empty). */
export interface RestResult {
  status: number;
  headers: Headers;
  body: unknown;
  operation: string;
}

/** `Authorization: Bearer TOKEN`, refusing what cannot be a token (rather than a confusing fetch TypeError). */
export function bearer(token: unknown): string {
  if (typeof token !== "string" || token.length === 0 || /[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new GitHubUsageError("invalid_argument", "token must be a non-empty string without whitespace");
  }
  return `Bearer ${token}`;
}

/** Sends one REST call and returns its JSON, or throws a {@link GitHubApiError}. */
export async function rest(ctx: RestContext, call: RestCall & { nullOn404: true }): Promise<RestResult | null>;
export async function rest(ctx: RestContext, call: RestCall): Promise<RestResult>;
export async function rest(ctx: RestContext, call: RestCall): Promise<RestResult | null> {
  const operation = `${call.method} ${call.path}`;
  const headers: Record<string, string> = { Accept: "application/vnd.github+json", Authorization: call.auth };
  const request = { method: call.method, url: call.url ?? `${ctx.apiUrl}${call.path}`, operation, headers };
  let res;
  if (call.json === undefined) {
    res = await send(ctx.transport, request);
  } else {
    headers["Content-Type"] = "application/json";
    res = await send(ctx.transport, { ...request, body: JSON.stringify(call.json) });
  }
  if (res.status === 404 && call.scopes !== undefined) {
    const granted = res.headers.get("x-oauth-scopes");
    if (granted !== null && !parseScopes(granted).some((g) => call.scopes?.includes(g))) {
      throw new GitHubApiError("forbidden", { status: 404, operation, detail: `the token has none of the scopes ${call.scopes.join(", ")}` });
    }
  }
  if (res.status === 404 && call.nullOn404) return null;
  if (res.status < 200 || res.status > 299) throw apiError(res, operation, ctx.now());
  let body: unknown;
  if (res.text.trim() !== "") {
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      throw new GitHubApiError("invalid_response", { status: res.status, operation, detail: "the body is not JSON", cause: err });
    }
  }
  // `headers` stays lazy (see send): most callers read only the body.
  return { status: res.status, get headers() { return res.headers; }, body, operation };
}

/** Runs `read` over a REST body and turns a {@link ShapeError} into `invalid_response`. */
export function shaped<T>(result: RestResult, read: (body: unknown) => T): T {
  try {
    return read(result.body);
  } catch (err) {
    if (err instanceof ShapeError) {
      throw new GitHubApiError("invalid_response", { status: result.status, operation: result.operation, detail: err.message, cause: err });
    }
    throw err;
  }
}

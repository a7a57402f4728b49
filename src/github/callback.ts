/** Step 2 of the web flow: check the callback, then exchange its code (docs/github-protocol.md §3). */
import { timingSafeEqual } from "./constant-time.js";
import type { ClientContext } from "./context.js";
import { GitHubOAuthError } from "./errors.js";
import { exchangeCode } from "./exchange-code.js";
import type { TokenSet } from "./types.js";

/**
 * The callback as a framework hands it over: the full URL (`URL` or string, absolute or relative
 * like `/callback?code=…`), its `URLSearchParams`, or a record of query parameters.
 *
 * @example
 * ```ts
 * await github.handleCallback(c.req.url, tx);            // Hono: the full URL
 * await github.handleCallback(req.query, tx);            // Express: a record of parameters
 * ```
 */
export type CallbackInput = URL | string | URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Options of {@link GitHubOAuth.handleCallback}: what was kept server-side at step 1.
 *
 * @example
 * ```ts
 * await github.handleCallback(url, { state: tx.state, codeVerifier: tx.codeVerifier });
 * ```
 */
export interface HandleCallbackOptions {
  state: string;
  codeVerifier: string;
  /** The `redirectUri` given to `createAuthorizationUrl`, if it overrode the client's. */
  redirectUri?: string | undefined;
}

function toParams(input: CallbackInput): URLSearchParams {
  if (input instanceof URL) return input.searchParams;
  if (input instanceof URLSearchParams) return input;
  if (typeof input === "string") return new URL(input, "http://callback.invalid").searchParams;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === "string") params.append(key, value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === "string") params.append(key, v);
  }
  return params;
}

/** A parameter sent exactly once; a repeated one is ambiguous and counts as absent. */
function single(params: URLSearchParams, key: string): string | undefined {
  const all = params.getAll(key);
  return all.length === 1 ? all[0] : undefined;
}

/**
 * Checks, in this order: GitHub's `error` parameter; `state` (constant time) -> `state_mismatch`;
 * `iss`, when present, equal to `issuer`
 * ([RFC 9207 §2.4](https://www.rfc-editor.org/rfc/rfc9207#section-2.4)) -> `issuer_mismatch`; a `code` ->
 * `missing_code`. Returns the code.
 */
export function checkCallback(input: CallbackInput, expectedState: string, issuer: string): string {
  const params = toParams(input);
  const error = single(params, "error");
  if (error) {
    throw new GitHubOAuthError(error, { description: single(params, "error_description"), uri: single(params, "error_uri") });
  }
  const state = single(params, "state");
  if (typeof expectedState !== "string" || expectedState.length === 0 || state === undefined || !timingSafeEqual(state, expectedState)) {
    throw new GitHubOAuthError("state_mismatch", { message: "The callback's state does not match this sign-in (possible login CSRF, or an expired or reused sign-in)" });
  }
  const iss = params.getAll("iss");
  if (iss.length > 1 || (iss.length === 1 && iss[0] !== issuer)) {
    throw new GitHubOAuthError("issuer_mismatch", { message: `The callback's iss does not name ${issuer} (RFC 9207: a mix-up attack or a misconfigured host)` });
  }
  const code = single(params, "code");
  if (!code) throw new GitHubOAuthError("missing_code", { message: "The callback carries no code" });
  return code;
}

/** Checks the callback ({@link checkCallback}) and exchanges its code. */
export async function handleCallback(ctx: ClientContext, callback: CallbackInput, options: HandleCallbackOptions): Promise<TokenSet> {
  const code = checkCallback(callback, options.state, ctx.issuer);
  return exchangeCode(ctx, { code, codeVerifier: options.codeVerifier, redirectUri: options.redirectUri });
}

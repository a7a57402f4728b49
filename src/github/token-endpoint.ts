/**
 * Form posts to GitHub's OAuth endpoints on the web host (`/login/oauth/access_token`,
 * `/login/device/code`), shared by every grant (docs/github-protocol.md §4, §5).
 */
import type { ClientContext } from "./context.js";
import { readOAuthResponse, shapedOAuth, toTokenSet } from "./token-response.js";
import { send, type WireResponse } from "./transport.js";
import type { TokenSet } from "./types.js";

/** POSTs `params` form-encoded to `{web}{path}`, asking for JSON. */
export async function postForm(ctx: ClientContext, path: string, params: Record<string, string>, operation: string, signal?: AbortSignal): Promise<WireResponse> {
  return send(ctx.transport, {
    method: "POST",
    url: `${ctx.webUrl}${path}`,
    operation,
    // Without Accept GitHub answers form-encoded; we ask for JSON but parse whatever comes.
    headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
    signal,
  });
}

/** One token request (any grant): a {@link TokenSet}, or GitHub's `error` as a `GitHubOAuthError`. */
export async function requestToken(ctx: ClientContext, params: Record<string, string>, signal?: AbortSignal): Promise<TokenSet> {
  const operation = "POST /login/oauth/access_token";
  const res = await postForm(ctx, "/login/oauth/access_token", params, operation, signal);
  const receivedAt = ctx.now();
  const body = readOAuthResponse(res, operation);
  return shapedOAuth(operation, res.status, () => toTokenSet(body, receivedAt));
}

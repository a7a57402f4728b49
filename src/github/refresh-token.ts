/** The refresh grant; refresh tokens rotate on every use (docs/github-protocol.md §6). */
import type { ClientContext } from "./context.js";
import { GitHubUsageError } from "./errors.js";
import { requestToken } from "./token-endpoint.js";
import type { TokenSet } from "./types.js";

/** Trades a refresh token for new tokens; a spent or unknown one gets `bad_refresh_token`. */
export async function refreshToken(ctx: ClientContext, refreshToken: string): Promise<TokenSet> {
  if (typeof refreshToken !== "string" || refreshToken.length === 0) throw new GitHubUsageError("invalid_argument", "refreshToken must be a non-empty string");
  const params: Record<string, string> = { client_id: ctx.clientId, grant_type: "refresh_token", refresh_token: refreshToken };
  // Not needed for device-flow tokens, required for web-flow ones: send it when we have it.
  if (ctx.clientSecret !== undefined) params["client_secret"] = ctx.clientSecret;
  return requestToken(ctx, params);
}

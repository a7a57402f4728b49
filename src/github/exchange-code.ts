/** The code grant: an authorization code and its PKCE verifier for tokens (docs/github-protocol.md §4). */
import { checkRedirectUri } from "./authorization-url.js";
import type { ClientContext } from "./context.js";
import { GitHubUsageError } from "./errors.js";
import { assertCodeVerifier } from "./pkce.js";
import { requestToken } from "./token-endpoint.js";
import type { TokenSet } from "./types.js";

/**
 * Options of {@link GitHubOAuth.exchangeCode}.
 *
 * @example
 * ```ts
 * await github.exchangeCode({ code, codeVerifier, redirectUri: "https://app.example/callback" });
 * ```
 */
export interface ExchangeCodeOptions {
  code: string;
  codeVerifier: string;
  redirectUri?: string | undefined;
}

/** Exchanges a code (single use, 10 minutes); sends the secret and `redirect_uri` when the client has them. */
export async function exchangeCode(ctx: ClientContext, options: ExchangeCodeOptions): Promise<TokenSet> {
  if (typeof options.code !== "string" || options.code.length === 0) throw new GitHubUsageError("invalid_argument", "code must be a non-empty string");
  assertCodeVerifier(options.codeVerifier);
  const redirectUri = options.redirectUri === undefined ? ctx.redirectUri : checkRedirectUri("redirectUri", options.redirectUri);
  const params: Record<string, string> = { client_id: ctx.clientId, code: options.code, code_verifier: options.codeVerifier };
  if (ctx.clientSecret !== undefined) params["client_secret"] = ctx.clientSecret;
  if (redirectUri !== undefined) params["redirect_uri"] = redirectUri;
  return requestToken(ctx, params);
}

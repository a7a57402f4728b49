/** The first step of a sign-in: the authorization request (RFC 6749 §4.1.1) with PKCE S256 and state. */
import * as oauth from "oauth4webapi";
import { ProviderError } from "./errors.js";
import type { ProviderAuthorization } from "./types.js";

/**
 * The authorization URL at `endpoint`: `response_type=code`, the scopes, a fresh `state`, a PKCE
 * S256 challenge (RFC 7636) and, for OpenID Connect, a fresh `nonce` (Core §3.1.2.1). The state,
 * verifier and nonce come from oauth4webapi's generators (32 random bytes each).
 *
 * @example
 * const auth = await buildAuthorization("forge", "https://forge.example/oauth/authorize", { clientId: "app", redirectUri: cb, scopes: ["read:user"], nonce: false });
 * res.redirect(auth.url.href); // keep auth.state and auth.codeVerifier sealed server-side
 */
export async function buildAuthorization(
  name: string,
  endpoint: unknown,
  request: { clientId: string; redirectUri: string; scopes: readonly string[]; nonce: boolean },
): Promise<ProviderAuthorization> {
  if (typeof endpoint !== "string" || !URL.canParse(endpoint)) {
    throw new ProviderError("invalid_response", `${name}: the provider has no usable authorization endpoint`, { detail: "authorization_endpoint" });
  }
  const url = new URL(endpoint);
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const nonce = request.nonce ? oauth.generateRandomNonce() : null;
  url.searchParams.set("client_id", request.clientId);
  url.searchParams.set("redirect_uri", request.redirectUri);
  url.searchParams.set("response_type", "code");
  if (request.scopes.length > 0) url.searchParams.set("scope", request.scopes.join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  if (nonce !== null) url.searchParams.set("nonce", nonce);
  return { url, state, codeVerifier, nonce };
}

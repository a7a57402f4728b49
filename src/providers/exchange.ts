/** The second step, shared by OIDC and plain OAuth 2: the callback checked, the code exchanged. */
import * as oauth from "oauth4webapi";
import { ProviderError } from "./errors.js";
import { toProviderError } from "./failures.js";
import type { HttpOptions } from "./transport.js";
import type { ProviderTransaction, TokenEndpointAuth } from "./types.js";

/** oauth4webapi's client with the injected clock: `clockSkew` moves its "now" to ours. */
export function clientOf(clientId: string, now: () => number): oauth.Client {
  return { client_id: clientId, [oauth.clockSkew]: Math.round((now() - Date.now()) / 1000) };
}

/** The client authentication of `method` with the secret. */
export function clientAuthOf(method: TokenEndpointAuth, secret: string): oauth.ClientAuth {
  return method === "client_secret_post" ? oauth.ClientSecretPost(secret) : oauth.ClientSecretBasic(secret);
}

/**
 * Checks the callback with oauth4webapi's `validateAuthResponse`: the `iss` (RFC 9207) against
 * `as.issuer`, required when the metadata says the provider sends it; the `state` against the
 * transaction's; then an `error` (RFC 6749 §4.1.2.1). A callback without a code is refused here.
 *
 * @example
 * const validated = checkCallback("gitlab", as, client, new URLSearchParams(req.query), tx.state);
 */
export function checkCallback(name: string, as: oauth.AuthorizationServer, client: oauth.Client, params: URLSearchParams, state: string): URLSearchParams {
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(as, client, params, state);
  } catch (err) {
    throw toProviderError(err, "callback", name);
  }
  const codes = validated.getAll("code");
  if (codes.length !== 1 || codes[0] === "") throw new ProviderError("missing_code", `${name}: the callback carries no code`);
  return validated;
}

/**
 * Exchanges the callback's code at the token endpoint (with the PKCE verifier and the redirect
 * URI of the authorization request), and processes the answer: oauth4webapi checks the JSON, the
 * `token_type` and, with `expectedNonce`, the ID token's claims (`iss`, `aud`, `azp`, `exp`,
 * `iat`, `nonce`). Returns the processed answer and the raw response (its ID token's signature is
 * checked separately, see `id-token-keys.ts`).
 *
 * @example
 * const { tokens } = await exchangeCode("forge", as, client, auth, validated, tx, http, undefined);
 */
export async function exchangeCode(
  name: string,
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  clientAuth: oauth.ClientAuth,
  validated: URLSearchParams,
  tx: ProviderTransaction,
  http: HttpOptions,
  expectedNonce: string | undefined,
): Promise<{ tokens: oauth.TokenEndpointResponse; response: Response }> {
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, validated, tx.redirectUri, tx.codeVerifier, http);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response,
      expectedNonce === undefined ? {} : { expectedNonce, requireIdToken: true });
    return { tokens, response };
  } catch (err) {
    throw toProviderError(err, "token", name);
  }
}

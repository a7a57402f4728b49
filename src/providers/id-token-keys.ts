/**
 * The ID token's signature, checked against the provider's JWKS (OpenID Connect Core §3.1.3.7
 * step 6) by oauth4webapi's `validateApplicationLevelSignature`, with key rotation handled.
 *
 * oauth4webapi caches the JWKS per AuthorizationServer object for up to 5 minutes, and refetches on
 * an unknown `kid` only once its copy is a minute old. A provider that rotates its signing key
 * right after a sign-in would fail sign-ins for that minute; so when no key matches and this check
 * has not fetched the JWKS itself, the JWKS is fetched exactly once more (by handing oauth4webapi
 * a fresh copy of the metadata object, which has no cached keys) before the token is refused.
 */
import * as oauth from "oauth4webapi";
import { toProviderError } from "./failures.js";
import type { HttpOptions } from "./transport.js";

/** What the key check logs (a pino logger fits). */
export interface KeysLog {
  info(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Checks the signature of the ID token of `response` (a processed token endpoint response).
 * `swap` replaces the metadata object in use when a refetch happened, so later sign-ins use the
 * new keys. Throws `ProviderError("invalid_id_token")` (detail `kid` or `signature`).
 *
 * @example
 * await verifyIdTokenSignature("gitlab", as, tokenResponse, t.options, (fresh) => discovery.replace(fresh));
 */
export async function verifyIdTokenSignature(
  name: string,
  as: oauth.AuthorizationServer,
  response: Response,
  http: HttpOptions,
  swap: (fresh: oauth.AuthorizationServer) => void,
  log?: KeysLog,
): Promise<void> {
  let fetched = false;
  const counting = (metadata: oauth.AuthorizationServer): HttpOptions => ({
    ...http,
    [oauth.customFetch]: (url, init) => {
      if (url === metadata["jwks_uri"]) fetched = true;
      return http[oauth.customFetch](url, init);
    },
  });
  try {
    await oauth.validateApplicationLevelSignature(as, response, counting(as));
    return;
  } catch (err) {
    const isUnknownKey = err instanceof oauth.OperationProcessingError && err.code === oauth.KEY_SELECTION;
    if (!isUnknownKey || fetched) throw toProviderError(err, "signature", name);
  }
  log?.info({ provider: name }, `${name}: the ID token's key is not in the cached JWKS; fetching the JWKS again`);
  const fresh: oauth.AuthorizationServer = { ...as };
  try {
    await oauth.validateApplicationLevelSignature(fresh, response, counting(fresh));
  } catch (err) {
    throw toProviderError(err, "signature", name);
  } finally {
    // Whatever the token, the JWKS just fetched is the provider's newest: keep it.
    swap(fresh);
  }
}

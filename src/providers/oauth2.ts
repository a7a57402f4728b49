/** A plain OAuth 2 provider by its endpoints: the code flow with PKCE, then a GET of userinfo mapped to an identity. */
import * as oauth from "oauth4webapi";
import { buildAuthorization } from "./authorization.js";
import { ProviderError } from "./errors.js";
import { checkCallback, clientAuthOf, clientOf, exchangeCode } from "./exchange.js";
import { toProviderError } from "./failures.js";
import { mapIdentity } from "./identity.js";
import type { ProviderRuntime } from "./runtime.js";
import { isTimeout } from "./transport.js";
import type { OAuth2ProviderSettings, ProviderIdentity, SignInProvider } from "./types.js";

/**
 * The plain OAuth 2 provider of `settings`. Its callback `iss` is checked only when
 * `settings.issuer` is set (then a present `iss` must equal it); a provider without an RFC 9207
 * issuer identifier has nothing to compare with, so its `iss` is ignored.
 *
 * @example
 * const forge = createOAuth2Provider(settings, runtime);
 * const identity = await forge.complete(new URLSearchParams(callbackQuery), tx); // { subject: "1234", ... }
 */
export function createOAuth2Provider(settings: OAuth2ProviderSettings, runtime: ProviderRuntime): SignInProvider {
  const { name } = settings;
  const http = runtime.transport.options;
  const as: oauth.AuthorizationServer = {
    // oauth4webapi needs an issuer; without a configured one it is never compared (iss is dropped).
    issuer: settings.issuer ?? new URL(settings.authorizeUrl).origin,
    authorization_endpoint: settings.authorizeUrl,
    token_endpoint: settings.tokenUrl,
    userinfo_endpoint: settings.userinfoUrl,
  };

  async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await oauth.protectedResourceRequest(accessToken, "GET", new URL(settings.userinfoUrl),
        new Headers({ accept: "application/json", "user-agent": "gatehouse" }), null, http);
    } catch (err) {
      throw toProviderError(err, "userinfo", name);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new ProviderError("invalid_response", `${name}: userinfo answered HTTP ${res.status}`, { detail: "status" });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      if (isTimeout(err)) throw new ProviderError("unavailable", `${name}: userinfo did not arrive in time`);
      throw new ProviderError("invalid_response", `${name}: userinfo is not JSON`, { detail: "json" });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ProviderError("invalid_response", `${name}: userinfo is not a JSON object`, { detail: "json" });
    }
    return body as Record<string, unknown>;
  }

  return {
    settings,
    createAuthorization(redirectUri) {
      return buildAuthorization(name, settings.authorizeUrl, { clientId: settings.clientId, redirectUri, scopes: settings.scopes, nonce: false });
    },
    async complete(params, tx): Promise<ProviderIdentity> {
      const client = clientOf(settings.clientId, runtime.now);
      const callback = new URLSearchParams(params);
      if (settings.issuer === undefined) callback.delete("iss");
      const validated = checkCallback(name, as, client, callback, tx.state);
      const { tokens } = await exchangeCode(name, as, client, clientAuthOf(settings.tokenAuth ?? "client_secret_post", settings.clientSecret), validated, tx, http, undefined);
      return mapIdentity(name, await userinfo(tokens.access_token), settings.mapping);
    },
  };
}

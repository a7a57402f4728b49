/** An OpenID Connect provider by its issuer: discovery, the code flow with PKCE and nonce, the ID token, userinfo. */
import * as oauth from "oauth4webapi";
import { buildAuthorization } from "./authorization.js";
import { DiscoveryCache } from "./discovery.js";
import { ProviderError } from "./errors.js";
import { checkCallback, clientAuthOf, clientOf, exchangeCode } from "./exchange.js";
import { toProviderError } from "./failures.js";
import { verifyIdTokenSignature } from "./id-token-keys.js";
import { oidcIdentity } from "./identity.js";
import type { ProviderRuntime } from "./runtime.js";
import type { OidcProviderSettings, ProviderIdentity, SignInProvider, TokenEndpointAuth } from "./types.js";

/** `client_secret_basic` (the default of RFC 8414 §2) unless the provider lists only `client_secret_post`. */
function tokenAuthFor(settings: OidcProviderSettings, as: oauth.AuthorizationServer): TokenEndpointAuth {
  if (settings.tokenAuth !== undefined) return settings.tokenAuth;
  const methods = as["token_endpoint_auth_methods_supported"];
  if (Array.isArray(methods) && !methods.includes("client_secret_basic") && methods.includes("client_secret_post")) return "client_secret_post";
  return "client_secret_basic";
}

/**
 * The OpenID Connect provider of `settings`.
 *
 * @example
 * const gitlab = createOidcProvider(settings, runtime);
 * const auth = await gitlab.createAuthorization("https://auth.example.com/auth/gitlab/callback");
 */
export function createOidcProvider(settings: OidcProviderSettings, runtime: ProviderRuntime): SignInProvider {
  const { name } = settings;
  const http = runtime.transport.options;
  const discovery = new DiscoveryCache(name, settings.issuer, runtime.transport, runtime.now, {
    ...(runtime.log === undefined ? {} : { log: runtime.log }),
  });

  return {
    settings,
    async createAuthorization(redirectUri) {
      const as = await discovery.get();
      return buildAuthorization(name, as.authorization_endpoint, { clientId: settings.clientId, redirectUri, scopes: settings.scopes, nonce: true });
    },
    async complete(params, tx): Promise<ProviderIdentity> {
      if (tx.nonce === null) throw new ProviderError("invalid_id_token", `${name}: this sign-in kept no nonce`, { detail: "nonce" });
      const as = await discovery.get();
      const client = clientOf(settings.clientId, runtime.now);
      const validated = checkCallback(name, as, client, params, tx.state);
      const { tokens, response } = await exchangeCode(name, as, client, clientAuthOf(tokenAuthFor(settings, as), settings.clientSecret), validated, tx, http, tx.nonce);
      await verifyIdTokenSignature(name, as, response, http, (fresh) => discovery.replace(fresh), runtime.log);
      const claims = oauth.getValidatedIdTokenClaims(tokens);
      if (claims === undefined) throw new ProviderError("invalid_id_token", `${name}: the token endpoint sent no ID token`, { detail: "id_token" });
      let userinfo: oauth.UserInfoResponse | undefined;
      if (typeof as.userinfo_endpoint === "string") {
        try {
          const res = await oauth.userInfoRequest(as, client, tokens.access_token, http);
          // OpenID Connect Core §5.3.4: userinfo about another subject is refused.
          userinfo = await oauth.processUserInfoResponse(as, client, claims.sub, res);
        } catch (err) {
          throw toProviderError(err, "userinfo", name);
        }
      }
      return oidcIdentity(name, claims, userinfo);
    },
  };
}

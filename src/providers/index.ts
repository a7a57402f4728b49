/** Generic OpenID Connect and OAuth 2 sign-in providers (GitHub is not one: see `src/github`). */
export type {
  ClaimsMapping, OAuth2ProviderSettings, OidcProviderSettings, ProviderAuthorization, ProviderIdentity,
  ProviderSettings, ProviderSignup, ProviderTransaction, SignInProvider,
} from "./types.js";
export { ProviderError } from "./errors.js";
export type { ProviderErrorCode } from "./errors.js";

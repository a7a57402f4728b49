/** Generic OpenID Connect and OAuth 2 sign-in providers (GitHub is not one: see `src/github`). */
export type {
  ClaimsMapping, OAuth2ProviderSettings, OidcProviderSettings, ProviderAuthorization, ProviderIdentity,
  ProviderSettings, ProviderSignup, ProviderTransaction, SignInProvider, TokenEndpointAuth,
} from "./types.js";
export { ProviderConfigError, ProviderError } from "./errors.js";
export type { ProviderConfigErrorCode, ProviderErrorCode } from "./errors.js";
export { createProvider, PROVIDER_TIMEOUT_MS } from "./create.js";
export type { CreateProviderOptions } from "./create.js";
export type { ProviderLog } from "./runtime.js";
export { OIDC_CLAIMS } from "./identity.js";
export { parseProviderList, PROVIDER_NAME_PATTERN, RESERVED_PROVIDER_NAMES } from "./config.js";
export type { GitHubEntry, ProviderList } from "./config.js";

/**
 * Generic sign-in providers (issue "more providers"): any OpenID Connect provider by its issuer,
 * any plain OAuth 2 provider by its endpoints. GitHub stays first-class through `GitHubOAuth`
 * and is not one of these. This file is the contract between `src/providers` (the protocol, on
 * oauth4webapi) and the users domain (accounts, sessions), which sees providers only through
 * `users/provider-port.ts`.
 */

/** Who may create an account by signing in with a provider. */
export type ProviderSignup = "open" | "invite";

/**
 * Where a plain OAuth 2 provider's userinfo keeps each field (a top-level JSON member name).
 * Defaults are the OpenID Connect claim names: `sub`, `preferred_username`, `name`, `email`,
 * `email_verified`, `picture`.
 */
export interface ClaimsMapping {
  id: string;
  username: string;
  name: string;
  email: string;
  email_verified: string;
  avatar: string;
}

interface CommonSettings {
  /** URL path segment and the key of identities: lower-case `[a-z0-9-]`, 1–32 chars, never `github`. */
  name: string;
  /** What the login page's button says, e.g. "GitLab". */
  displayName: string;
  clientId: string;
  /** Secret: never logged, never in an error. */
  clientSecret: string;
  scopes: string[];
  /** Per-provider sign-up rule; default: the service's (`GATEHOUSE_SIGNUP`). */
  signup: ProviderSignup | undefined;
  /**
   * Where the provider sends the browser back, when it is a front end's route (a single-page app
   * that then posts `code`, `state` and `iss` to `POST /api/users/oauth-login`) rather than the
   * service's own `{publicUrl}/auth/{name}/callback`. The service checks it is on its public origin
   * or one of its app origins.
   */
  callbackUrl?: string;
  /**
   * How the client authenticates at the token endpoint (RFC 6749 §2.3.1). Default: OIDC
   * `client_secret_basic` unless discovery lists only `client_secret_post`; plain OAuth 2
   * `client_secret_post` (what GitHub-like providers accept everywhere).
   */
  tokenAuth?: TokenEndpointAuth;
}

/** A client authentication method at the token endpoint. */
export type TokenEndpointAuth = "client_secret_basic" | "client_secret_post";

/** An OpenID Connect provider, found by discovery at `{issuer}/.well-known/openid-configuration`. */
export interface OidcProviderSettings extends CommonSettings {
  kind: "oidc";
  issuer: string;
}

/** A plain OAuth 2 provider (no ID token): configured by its endpoints. */
export interface OAuth2ProviderSettings extends CommonSettings {
  kind: "oauth2";
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  /**
   * The provider's RFC 9207 issuer identifier, when it has one: a callback `iss` must then equal
   * it. Without it, a callback's `iss` cannot be checked and is ignored.
   */
  issuer: string | undefined;
  mapping: ClaimsMapping;
}

/** One configured generic provider. */
export type ProviderSettings = OidcProviderSettings | OAuth2ProviderSettings;

/** The identity a provider vouched for. */
export interface ProviderIdentity {
  /** The provider's stable subject (`sub`, or the mapped id as a string): the identity. */
  subject: string;
  /** A handle to suggest a username from (`preferred_username`, a login); display only. */
  username: string | null;
  name: string | null;
  /** Only an address the provider says is verified; otherwise `null`. */
  email: string | null;
  avatarUrl: string | null;
}

/** A started authorization: where to send the browser, and what to keep server-side. */
export interface ProviderAuthorization {
  url: URL;
  state: string;
  /** Secret: PKCE S256 verifier; kept sealed server-side. */
  codeVerifier: string;
  /** OIDC nonce (bound into the ID token); `null` for plain OAuth 2. */
  nonce: string | null;
}

/** What was kept of a started authorization, handed back to complete it. */
export interface ProviderTransaction {
  state: string;
  codeVerifier: string;
  nonce: string | null;
  redirectUri: string;
}

/** A configured provider, ready to use. */
export interface SignInProvider {
  readonly settings: ProviderSettings;
  /** The authorization URL with state, PKCE S256 and (OIDC) nonce. */
  createAuthorization(redirectUri: string): Promise<ProviderAuthorization>;
  /**
   * Checks the callback (`error`, `state`, `iss`), exchanges the code (with the verifier), checks
   * the ID token (signature against the JWKS, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`) and reads
   * userinfo (its `sub` must match). Throws `ProviderError`.
   */
  complete(params: URLSearchParams, tx: ProviderTransaction): Promise<ProviderIdentity>;
}

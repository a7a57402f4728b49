/** One entry point for both kinds of provider. */
import { ProviderConfigError } from "./errors.js";
import { createOAuth2Provider } from "./oauth2.js";
import { createOidcProvider } from "./oidc.js";
import type { ProviderLog } from "./runtime.js";
import { createTransport, needsInsecureLoopback } from "./transport.js";
import type { ProviderSettings, SignInProvider } from "./types.js";
import { providerUrlProblem } from "./urls.js";

/** Default timeout of each request to a provider. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** What {@link createProvider} may be given besides the settings. */
export interface CreateProviderOptions {
  /** Default: the global `fetch`. Tests pass a wrapper to alter answers. */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; default `Date.now`. Drives discovery's cache and the token time checks. */
  now?: () => number;
  /** Per request; default 10 s. A request that takes longer fails as `unavailable`. */
  timeoutMs?: number;
  log?: ProviderLog;
}

/**
 * A ready provider from its settings. Nothing is fetched yet: an OIDC provider's discovery happens
 * on first use, and is cached (see `discovery.ts`). Throws `ProviderConfigError` when a URL of
 * the settings is not https (http is allowed only on the loopback interface).
 *
 * @example
 * const gitlab = createProvider({ kind: "oidc", name: "gitlab", displayName: "GitLab", issuer: "https://gitlab.com",
 *   clientId, clientSecret, scopes: ["openid", "profile", "email"], signup: undefined });
 * const auth = await gitlab.createAuthorization(callbackUrl);    // redirect to auth.url; keep the rest sealed
 * const who = await gitlab.complete(callbackParams, { ...auth, redirectUri: callbackUrl });
 */
export function createProvider(settings: ProviderSettings, options: CreateProviderOptions = {}): SignInProvider {
  const urls = settings.kind === "oidc"
    ? { issuer: settings.issuer }
    : { authorize_url: settings.authorizeUrl, token_url: settings.tokenUrl, userinfo_url: settings.userinfoUrl, ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }) };
  for (const [field, url] of Object.entries(urls)) {
    const problem = providerUrlProblem(url);
    if (problem !== undefined) throw new ProviderConfigError("invalid_value", `provider "${settings.name}": ${field} ${problem}`, { field });
  }
  const runtime = {
    transport: createTransport(settings.name, {
      fetch: options.fetch ?? fetch,
      timeoutMs: options.timeoutMs ?? PROVIDER_TIMEOUT_MS,
      loopback: needsInsecureLoopback(Object.values(urls)),
    }),
    now: options.now ?? Date.now,
    log: options.log,
  };
  return settings.kind === "oidc" ? createOidcProvider(settings, runtime) : createOAuth2Provider(settings, runtime);
}

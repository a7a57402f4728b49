/** Step 1 of the web flow: the URL the browser is sent to (docs/github-protocol.md §2). */
import type { ClientContext } from "./context.js";
import { GitHubUsageError } from "./errors.js";
import { assertCodeVerifier, createCodeChallenge, randomToken } from "./pkce.js";
import { checkScopes } from "./scopes.js";

/**
 * Per-request options of {@link GitHubOAuth.createAuthorizationUrl}. Everything is optional.
 *
 * @example
 * ```ts
 * await github.createAuthorizationUrl({ scopes: ["read:user"], prompt: "select_account", allowSignup: false });
 * ```
 */
export interface AuthorizationUrlOptions {
  /** Anti-CSRF value; default: 32 random bytes, base64url. Store it server-side, bound to the browser. */
  state?: string;
  /** PKCE verifier; default: a new one ({@link createCodeVerifier}). Never send it to the browser. */
  codeVerifier?: string;
  /** Overrides the client's scopes; `[]` sends no `scope` (GitHub then reuses earlier grants). */
  scopes?: readonly string[];
  /** Suggests an account on GitHub's sign-in page. */
  login?: string;
  /** `false` hides "create an account" on GitHub's page. GitHub's default is `true`. */
  allowSignup?: boolean;
  /** `select_account` forces GitHub's account picker (GHES ≥ 3.14). */
  prompt?: "select_account";
  /** Overrides the client's `redirectUri`; pass the same value to `handleCallback`. */
  redirectUri?: string;
}

/**
 * What to redirect to, and what to keep server-side until the callback.
 *
 * @example
 * ```ts
 * const { url, state, codeVerifier }: AuthorizationRequest = await github.createAuthorizationUrl();
 * ```
 */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  codeVerifier: string;
}

/** Throws unless `value` is an absolute http(s) URL; returns it unchanged. */
export function checkRedirectUri(name: string, value: unknown): string {
  let ok = false;
  if (typeof value === "string") {
    try {
      const u = new URL(value);
      ok = u.protocol === "https:" || u.protocol === "http:";
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new GitHubUsageError("invalid_argument", `${name} must be an absolute http(s) URL`);
  return value as string;
}

/**
 * Builds `GET {web}/login/oauth/authorize` with PKCE S256 always on. Async because the challenge
 * is by default a Web Crypto digest, which has no synchronous form.
 */
export async function createAuthorizationUrl(ctx: ClientContext, options: AuthorizationUrlOptions): Promise<AuthorizationRequest> {
  const state = options.state ?? randomToken();
  if (typeof state !== "string" || state.length === 0 || state.length > 1024) {
    throw new GitHubUsageError("invalid_argument", "state must be a non-empty string of at most 1024 characters");
  }
  const codeVerifier = options.codeVerifier ?? randomToken();
  assertCodeVerifier(codeVerifier);
  const redirectUri = options.redirectUri === undefined ? ctx.redirectUri : checkRedirectUri("redirectUri", options.redirectUri);
  const scopes = options.scopes === undefined ? ctx.scopes : checkScopes("scopes", options.scopes, "invalid_argument");

  const url = new URL(`${ctx.webUrl}/login/oauth/authorize`);
  const q = url.searchParams;
  q.set("client_id", ctx.clientId);
  if (redirectUri !== undefined) q.set("redirect_uri", redirectUri);
  // `scope` is space-delimited on the authorize request (commas only in responses).
  if (scopes.length > 0) q.set("scope", scopes.join(" "));
  q.set("state", state);
  q.set("code_challenge", await createCodeChallenge(codeVerifier, ctx.sha256));
  q.set("code_challenge_method", "S256"); // the only method GitHub accepts; `plain` is refused
  if (options.login !== undefined) q.set("login", options.login);
  if (options.allowSignup !== undefined) q.set("allow_signup", String(options.allowSignup));
  if (options.prompt !== undefined) q.set("prompt", options.prompt);
  return { url, state, codeVerifier };
}

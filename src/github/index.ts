/**
 * `gatehouse/github`: a GitHub OAuth client with zero dependencies, for any runtime with `fetch`
 * and Web Crypto.
 *
 * @example
 * ```ts
 * import { GitHubOAuth } from "gatehouse/github";
 * const github = new GitHubOAuth({ clientId, clientSecret });
 * ```
 */
export { GitHubOAuth } from "./client.js";
export type { GitHubOAuthOptions } from "./context.js";
export type { ExchangeCodeOptions } from "./exchange-code.js";
export type { AuthorizationRequest, AuthorizationUrlOptions } from "./authorization-url.js";
export type { CallbackInput, HandleCallbackOptions } from "./callback.js";
export type { DevicePending, PollDeviceTokenOptions } from "./device-flow.js";
export { GitHubApiError, GitHubError, GitHubNetworkError, GitHubOAuthError, GitHubUsageError } from "./errors.js";
export type {
  GitHubApiErrorCode,
  GitHubNetworkErrorCode,
  GitHubOAuthErrorCode,
  GitHubOAuthErrorFromGitHub,
  GitHubUsageErrorCode,
  RateLimit,
} from "./errors.js";
export { createCodeChallenge, createCodeVerifier } from "./pkce.js";
export type { Sha256 } from "./pkce.js";
export type { FetchLike } from "./transport.js";
export type {
  DeviceCode,
  GitHubEmail,
  GitHubIdentity,
  GitHubOrg,
  GitHubUser,
  OrgMembership,
  TeamMembership,
  TokenInfo,
  TokenSet,
} from "./types.js";

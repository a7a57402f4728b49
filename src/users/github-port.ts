/**
 * What the domain needs from the GitHub client (`src/github`'s `GitHubOAuth` satisfies it). Typed
 * here so the domain is tested against the real client but does not depend on more than it uses.
 */
import type { GitHubOAuth } from "../github/index.js";
import type { DeviceCode, GitHubIdentity, OrgMembership, TeamMembership, TokenSet } from "../github/index.js";

export type { DeviceCode, GitHubIdentity, OrgMembership, TeamMembership, TokenSet };

/** The GitHub operations the users domain calls. */
export interface GitHubPort {
  createAuthorizationUrl(options: {
    state?: string;
    codeVerifier?: string;
    scopes?: readonly string[];
    redirectUri?: string;
  }): { url: URL; state: string; codeVerifier: string } | Promise<{ url: URL; state: string; codeVerifier: string }>;
  /** Checks `error`, `state`, `iss` and `code` of a callback, then exchanges the code. */
  handleCallback(
    input: URLSearchParams,
    expected: { state: string; codeVerifier: string; redirectUri?: string },
  ): Promise<TokenSet>;
  getIdentity(token: string): Promise<GitHubIdentity>;
  refreshToken(refreshToken: string): Promise<TokenSet>;
  getOrgMembership(token: string, org: string): Promise<OrgMembership | null>;
  getTeamMembership(token: string, org: string, teamSlug: string, username: string): Promise<TeamMembership | null>;
  requestDeviceCode(options?: { scopes?: string[] }): Promise<DeviceCode>;
  /**
   * One token request with the device grant (no loop: the server polls once per client poll).
   * Throws GitHubOAuthError `authorization_pending`, `slow_down` (with `interval`), `expired_token`,
   * `access_denied`, ...
   */
  pollDeviceTokenOnce(deviceCode: string): Promise<TokenSet>;
}

/**
 * Adapts `GitHubOAuth` to {@link GitHubPort}.
 *
 * @example
 * const users = new Users({ store, github: fromGitHubOAuth(new GitHubOAuth({ clientId, clientSecret })), ... });
 */
export function fromGitHubOAuth(client: GitHubOAuth): GitHubPort {
  return {
    createAuthorizationUrl: (options) => client.createAuthorizationUrl(options),
    handleCallback: (input, expected) => client.handleCallback(input, expected),
    getIdentity: (token) => client.getIdentity(token),
    refreshToken: (refreshToken) => client.refreshToken(refreshToken),
    getOrgMembership: (token, org) => client.getOrgMembership(token, org),
    getTeamMembership: (token, org, team, username) => client.getTeamMembership(token, org, team, username),
    requestDeviceCode: (options) => client.requestDeviceCode(options),
    pollDeviceTokenOnce: (deviceCode) => client.pollDeviceTokenOnce(deviceCode),
  };
}

/** Helpers for the integration tests: the emulator on port 0 and a client pointed at it. */
import { after } from "node:test";
import { GitHubOAuth, type AuthorizationUrlOptions, type GitHubOAuthOptions } from "../../src/github/index.js";
import { DEFAULT_APP, startGitHubEmulator, type GitHubEmulatorHandle, type GitHubEmulatorOptions } from "../../src/emulator/index.js";

export const CALLBACK = "http://127.0.0.1:3000/callback";

/** Starts an emulator for this test file (closed after it) and a client for the default app. */
export async function setup(options: GitHubEmulatorOptions = {}, client: Partial<GitHubOAuthOptions> = {}): Promise<{ gh: GitHubEmulatorHandle; github: GitHubOAuth }> {
  const gh = await startGitHubEmulator({ autoApprove: "octocat", ...options });
  after(() => gh.close());
  const app = options.apps?.[0] ?? DEFAULT_APP;
  const github = new GitHubOAuth({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: CALLBACK, webUrl: gh.url, apiUrl: gh.url, ...client });
  return { gh, github };
}

/** Step 1 as a browser does it: follows the authorize URL (auto-approved) to the callback URL. */
export async function authorize(github: GitHubOAuth, options: AuthorizationUrlOptions = {}): Promise<{ callback: URL; state: string; codeVerifier: string }> {
  const { url, state, codeVerifier } = await github.createAuthorizationUrl(options);
  const res = await fetch(url, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status} without a redirect`);
  return { callback: new URL(location), state, codeVerifier };
}

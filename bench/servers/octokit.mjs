// Octokit's oauth-app; state in a cookie. Its web-flow endpoints are github.com's whatever the
// API base, which this process sends to the fake GitHub.
import { OAuthApp } from "@octokit/oauth-app";
import { env, oauthRoutes, sendGitHubComToFake, serve } from "./child.mjs";

const toFake = sendGitHubComToFake();
await serve((url) => {
  const app = new OAuthApp({ clientType: "oauth-app", clientId: env.clientId, clientSecret: env.clientSecret,
    redirectUrl: `${url}/auth/github/callback`, defaultScopes: ["read:user", "user:email"] });
  return oauthRoutes(url, {
    authorizeUrl: (state) => toFake(app.getWebFlowAuthorizationUrl({ state }).url),
    exchange: async (code, state) => (await app.createToken({ code, state })).authentication.token,
  });
});

// arctic's GitHub provider (state in a cookie, as its docs do it; arctic's GitHub has no PKCE). Its
// endpoints are fixed to github.com, which this process sends to the fake GitHub.
import { GitHub } from "arctic";
import { env, oauthRoutes, sendGitHubComToFake, serve } from "./child.mjs";

const toFake = sendGitHubComToFake();
await serve((url) => {
  const github = new GitHub(env.clientId, env.clientSecret, `${url}/auth/github/callback`);
  return oauthRoutes(url, {
    authorizeUrl: (state) => toFake(github.createAuthorizationURL(state, ["read:user", "user:email"]).toString()),
    exchange: async (code) => (await github.validateAuthorizationCode(code)).accessToken(),
  });
});

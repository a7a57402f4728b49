/** Who a token belongs to: user, primary verified email and scopes (docs/github-protocol.md §8). */
import type { ClientContext } from "./context.js";
import { GitHubApiError } from "./errors.js";
import { bearer, rest, shaped } from "./rest.js";
import { parseScopes } from "./scopes.js";
import type { GitHubIdentity } from "./types.js";
import { primaryVerifiedEmail, readEmails, readUser } from "./users.js";

/**
 * `GET /user` and `GET /user/emails` concurrently. A token that may not read emails (404 for
 * OAuth tokens, 403 for GitHub App tokens, without a rate limit) gives `email: null`.
 */
export async function getIdentity(ctx: ClientContext, token: string): Promise<GitHubIdentity> {
  const auth = bearer(token);
  const [userRes, emails] = await Promise.all([
    rest(ctx, { method: "GET", path: "/user", auth }),
    rest(ctx, { method: "GET", path: "/user/emails", auth }).then(
      (res) => shaped(res, readEmails),
      (err: unknown) => {
        // A rate limit is `rate_limited`/`secondary_rate_limit`, never `forbidden`: it still throws.
        if (err instanceof GitHubApiError && (err.code === "not_found" || err.code === "forbidden")) return null;
        throw err;
      },
    ),
  ]);
  const user = shaped(userRes, (body) => readUser(body));
  return { user, email: emails ? primaryVerifiedEmail(emails) : null, scopes: parseScopes(userRes.headers.get("x-oauth-scopes") ?? "") };
}

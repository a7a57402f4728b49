/**
 * The token management API of OAuth apps: check, reset and revoke a token, revoke a grant
 * (docs/github-protocol.md §10). Client credentials go in Basic auth, the token in a JSON body
 * (never the URL).
 */
import { basicAuth } from "./base64.js";
import type { ClientContext } from "./context.js";
import { GitHubUsageError } from "./errors.js";
import { asArray, asRecord, optStr, ShapeError, str } from "./fields.js";
import { bearer, rest, shaped, type RestCall } from "./rest.js";
import type { TokenInfo } from "./types.js";
import { readUser } from "./users.js";

/** Scopes, expiry and owner of a checked token. The token itself is not kept. */
function readTokenInfo(value: unknown): TokenInfo {
  const body = asRecord(value, "authorization");
  // The description marks `scopes` and `user` nullable: null scopes are none, a null user unknown.
  const scopes = (body["scopes"] === null ? [] : asArray(body["scopes"], "scopes")).map((s, i) => {
    if (typeof s !== "string") throw new ShapeError(`scopes[${i}]`, "a string");
    return s;
  });
  const info: TokenInfo = { scopes, user: body["user"] === null ? null : readUser(body["user"]) };
  const expires = body["expires_at"] === null ? undefined : optStr(body, "expires_at");
  if (expires !== undefined) {
    const at = new Date(expires);
    if (Number.isNaN(at.getTime())) throw new ShapeError("expires_at", "a date");
    info.expiresAt = at;
  }
  return info;
}

/** The new token of a reset. */
function readResetToken(value: unknown): string {
  return str(asRecord(value, "authorization"), "token");
}

/** `{method} /applications/{client_id}/token` with the app's credentials; needs `clientSecret`. */
function tokenCall(ctx: ClientContext, method: "POST" | "PATCH" | "DELETE", token: string): RestCall {
  if (ctx.clientSecret === undefined) {
    throw new GitHubUsageError("client_secret_required", "The token API (/applications/…) needs the client's clientSecret");
  }
  bearer(token); // same argument check as the other calls
  return {
    method,
    path: `/applications/${encodeURIComponent(ctx.clientId)}/token`,
    auth: basicAuth(ctx.clientId, ctx.clientSecret),
    json: { access_token: token },
  };
}

/** `POST`: the token's scopes, expiry and owner, or `null` on 404 (unknown, revoked, another app's). */
export async function checkToken(ctx: ClientContext, token: string): Promise<TokenInfo | null> {
  const res = await rest(ctx, { ...tokenCall(ctx, "POST", token), nullOn404: true });
  return res && shaped(res, readTokenInfo);
}

/** `PATCH`: a new token replaces this one. */
export async function resetToken(ctx: ClientContext, token: string): Promise<string> {
  const res = await rest(ctx, tokenCall(ctx, "PATCH", token));
  return shaped(res, readResetToken);
}

/** `DELETE`: `true` when revoked, `false` on 404 (already gone). */
export async function revokeToken(ctx: ClientContext, token: string): Promise<boolean> {
  const res = await rest(ctx, { ...tokenCall(ctx, "DELETE", token), nullOn404: true });
  return res !== null;
}

/** `DELETE /applications/{client_id}/grant`: every token of the user for this app, and the grant. */
export async function revokeGrant(ctx: ClientContext, token: string): Promise<boolean> {
  const call = tokenCall(ctx, "DELETE", token);
  const res = await rest(ctx, { ...call, path: `/applications/${encodeURIComponent(ctx.clientId)}/grant`, nullOn404: true });
  return res !== null;
}

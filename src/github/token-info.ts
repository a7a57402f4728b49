/** Body of `POST {api}/applications/{client_id}/token` (check) and its `PATCH` (reset) (protocol sheet §6). */
import { asArray, asRecord, optStr, ShapeError, str } from "./fields.js";
import type { TokenInfo } from "./types.js";
import { readUser } from "./users.js";

/** Scopes, expiry and owner of a checked token. The token itself is not kept. */
export function readTokenInfo(value: unknown): TokenInfo {
  const body = asRecord(value, "authorization");
  const scopes = asArray(body["scopes"], "scopes").map((s, i) => {
    if (typeof s !== "string") throw new ShapeError(`scopes[${i}]`, "a string");
    return s;
  });
  const info: TokenInfo = { scopes, user: readUser(body["user"]) };
  const expires = body["expires_at"] === null ? undefined : optStr(body, "expires_at");
  if (expires !== undefined) {
    const at = new Date(expires);
    if (Number.isNaN(at.getTime())) throw new ShapeError("expires_at", "a date");
    info.expiresAt = at;
  }
  return info;
}

/** The new token of a reset. */
export function readResetToken(value: unknown): string {
  return str(asRecord(value, "authorization"), "token");
}

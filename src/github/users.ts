/** `GET {api}/user` and `GET {api}/user/emails`, bodies checked field by field (docs/github-protocol.md §8). */
import type { ClientContext } from "./context.js";
import { asArray, asRecord, bool, nullableStr, ShapeError, str } from "./fields.js";
import { bearer, rest, shaped } from "./rest.js";
import type { GitHubEmail, GitHubUser } from "./types.js";

/** A GitHub user object (full or simple-user). `id` must be a positive safe integer. */
export function readUser(value: unknown, field = "user"): GitHubUser {
  const u = asRecord(value, field);
  const id = u["id"];
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) throw new ShapeError(`${field}.id`, "a positive integer");
  return {
    id,
    nodeId: str(u, "node_id"),
    login: str(u, "login"),
    name: nullableStr(u, "name"),
    email: nullableStr(u, "email"),
    avatarUrl: str(u, "avatar_url"),
    htmlUrl: str(u, "html_url"),
    type: str(u, "type"),
    siteAdmin: bool(u, "site_admin"),
  };
}

/** The list of addresses; `visibility` is `public`, `private` or null (absent counts as null). */
export function readEmails(value: unknown): GitHubEmail[] {
  return asArray(value, "emails").map((item, i) => {
    const e = asRecord(item, `emails[${i}]`);
    const visibility = e["visibility"] ?? null;
    if (visibility !== null && visibility !== "public" && visibility !== "private") {
      throw new ShapeError(`emails[${i}].visibility`, "public, private or null");
    }
    return { email: str(e, "email"), primary: bool(e, "primary"), verified: bool(e, "verified"), visibility };
  });
}

/** The primary address, only when verified (an unverified one proves nothing about the user). */
export function primaryVerifiedEmail(emails: readonly GitHubEmail[]): string | null {
  return emails.find((e) => e.primary && e.verified)?.email ?? null;
}

/** The user a token belongs to. */
export async function getUser(ctx: ClientContext, token: string): Promise<GitHubUser> {
  const res = await rest(ctx, { method: "GET", path: "/user", auth: bearer(token) });
  return shaped(res, (body) => readUser(body));
}

/** The user's addresses (needs `user:email` or `user`). */
export async function getEmails(ctx: ClientContext, token: string): Promise<GitHubEmail[]> {
  const res = await rest(ctx, { method: "GET", path: "/user/emails", auth: bearer(token) });
  return shaped(res, readEmails);
}

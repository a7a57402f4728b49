/** The identity a provider vouched for, read from ID token claims, userinfo, or a mapped JSON object. */
import { ProviderError } from "./errors.js";
import type { ClaimsMapping, ProviderIdentity } from "./types.js";

/** The OpenID Connect claim names, the default {@link ClaimsMapping}. */
export const OIDC_CLAIMS: ClaimsMapping = {
  id: "sub", username: "preferred_username", name: "name", email: "email", email_verified: "email_verified", avatar: "picture",
};

type Json = Readonly<Record<string, unknown>>;

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/**
 * The subject as a string: a non-empty string, or an integer (GitHub's numeric `id` → `"1234"`).
 * Anything else is no identity at all.
 */
function subjectOf(name: string, value: unknown, field: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  throw new ProviderError("invalid_response", `${name}: the user's ${field} is missing or not a string or integer`, { detail: field });
}

/**
 * An identity from a JSON object through `mapping`; the email only when the mapped
 * `email_verified` member is `true` (OpenID Connect Core §5.1: an unverified address proves nothing).
 *
 * @example
 * mapIdentity("forge", { id: 42, login: "octocat" }, { ...OIDC_CLAIMS, id: "id", username: "login" });
 * // { subject: "42", username: "octocat", name: null, email: null, avatarUrl: null }
 */
export function mapIdentity(name: string, json: Json, mapping: ClaimsMapping): ProviderIdentity {
  return {
    subject: subjectOf(name, json[mapping.id], mapping.id),
    username: text(json[mapping.username]),
    name: text(json[mapping.name]),
    email: json[mapping.email_verified] === true ? text(json[mapping.email]) : null,
    avatarUrl: text(json[mapping.avatar]),
  };
}

/**
 * An OpenID Connect identity: the subject from the ID token (userinfo's `sub` was checked equal to
 * it), the other claims from userinfo where it has them, else from the ID token. The email and
 * its `email_verified` are taken from the same source, never one from each.
 *
 * @example
 * oidcIdentity("gitlab", { sub: "7", email: "a@x.org", email_verified: true }, undefined).email; // "a@x.org"
 */
export function oidcIdentity(name: string, idToken: Json, userinfo: Json | undefined): ProviderIdentity {
  const fromToken = mapIdentity(name, idToken, OIDC_CLAIMS);
  if (userinfo === undefined) return fromToken;
  const fromUserinfo = mapIdentity(name, { ...userinfo, sub: fromToken.subject }, OIDC_CLAIMS);
  return {
    subject: fromToken.subject,
    username: fromUserinfo.username ?? fromToken.username,
    name: fromUserinfo.name ?? fromToken.name,
    email: text(userinfo["email"]) !== null ? fromUserinfo.email : fromToken.email,
    avatarUrl: fromUserinfo.avatarUrl ?? fromToken.avatarUrl,
  };
}

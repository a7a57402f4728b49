/** The API's JSON shapes of users and sessions (snake_case, like the system we grow from). */
import type { Identity, SessionInfo, User } from "../users/index.js";

/** A linked sign-in identity as the API shows it (`linked_at` is null for a GitHub link, which keeps no date). */
export function identityJson(identity: Identity) {
  return {
    provider: identity.provider,
    subject: identity.subject,
    username: identity.username,
    email: identity.email,
    linked_at: identity.linkedAt?.toISOString() ?? null,
    last_sign_in_at: identity.lastSignInAt?.toISOString() ?? null,
  };
}

/**
 * A user as the API shows it: never a password hash, never a token. With `identities` (where
 * they are shown), the user's linked sign-in identities too.
 */
export function userJson(user: User, identities?: readonly Identity[]) {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    email: user.email,
    avatar: user.avatarUrl,
    theme: user.theme,
    role: user.role,
    disabled: user.disabled,
    github: user.github,
    invited_github_login: user.invitedGitHubLogin,
    has_password: user.hasPassword,
    created_at: user.createdAt.toISOString(),
    last_sign_in_at: user.lastSignInAt?.toISOString() ?? null,
    fields: user.fields,
    ...(identities === undefined ? {} : { identities: identities.map(identityJson) }),
  };
}

/** A session as the API shows it (public id only). */
export function sessionJson(session: SessionInfo) {
  return {
    id: session.id,
    method: session.method,
    user_agent: session.userAgent,
    ip: session.ip,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    current: session.current,
  };
}

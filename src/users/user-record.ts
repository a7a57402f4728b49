/** Maps stored rows to the domain's public shapes. */
import type { SessionRow, UserRow } from "../store/index.js";
import type { Role, SessionInfo, SignInMethod, Theme, User } from "./types.js";
import { readFields } from "./user-fields.js";
import type { UserFieldDefinition } from "./user-fields.js";

/** A stored theme outside the closed set (written before it was checked) reads as `system`. */
function toTheme(value: string | null): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** A stored user as the domain hands it out (no password hash); app-defined fields with their defaults. */
export function toUser(row: UserRow, fieldDefs: readonly UserFieldDefinition[]): User {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    avatarUrl: row.avatar_url,
    theme: toTheme(row.theme),
    profileEdited: { name: row.name_edited !== 0, email: row.email_edited !== 0, avatar: row.avatar_edited !== 0 },
    role: row.role === "admin" ? "admin" : "user",
    disabled: row.disabled !== 0,
    github: row.github_id === null ? null : { id: row.github_id, login: row.github_login },
    invitedGitHubLogin: row.invited_github_login,
    hasPassword: row.password_hash !== null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lastSignInAt: row.last_sign_in_at === null ? null : new Date(row.last_sign_in_at),
    fields: readFields(row.fields, fieldDefs),
  };
}

function toMethod(value: string): SignInMethod {
  if (value === "github" || value === "device") return value;
  return value.startsWith("oauth:") && value.length > "oauth:".length ? `oauth:${value.slice("oauth:".length)}` : "password";
}

/** A stored session as listed (no token hash). */
export function toSessionInfo(row: SessionRow, currentId?: string): SessionInfo {
  return {
    id: row.id,
    method: toMethod(row.method),
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: new Date(row.created_at),
    lastSeenAt: new Date(row.last_seen_at),
    expiresAt: new Date(row.expires_at),
    current: row.id === currentId,
  };
}

/** The role a row holds. */
export function roleOf(row: UserRow): Role {
  return row.role === "admin" ? "admin" : "user";
}

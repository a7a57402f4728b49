/** Public types of the users domain. Instants are `Date`; ids are numbers. */

import type { UserFieldValue } from "./user-fields.js";

/** What a user may do: `admin` manages users. */
export type Role = "admin" | "user";

/**
 * How a session was opened: a password, GitHub's web flow, the device flow (GitHub), or a generic
 * provider's web flow as `oauth:{name}` (e.g. `oauth:gitlab`), so one string says which provider.
 */
export type SignInMethod = "password" | "github" | "device" | `oauth:${string}`;

/** How pages look: `system` follows the device's light or dark setting. A closed set. */
export type Theme = "system" | "light" | "dark";

/**
 * The profile fields GitHub fills in. Each one follows GitHub at every GitHub sign-in until it is
 * set in Gatehouse (by the user or an admin); from then on Gatehouse keeps its value. Setting it
 * to empty (`null`) makes it follow GitHub again from the next GitHub sign-in.
 */
export type GitHubSyncedField = "name" | "email" | "avatar";

/** Who may create an account by signing in with GitHub. */
export type SignupPolicy = "open" | "invite";

/** A user account as the domain hands it out (never a password hash or a token). */
export interface User {
  id: number;
  username: string;
  name: string | null;
  email: string | null;
  avatarUrl: string | null;
  theme: Theme;
  /** Which GitHub-synced fields were set in Gatehouse (a GitHub sign-in leaves those alone). */
  profileEdited: Record<GitHubSyncedField, boolean>;
  role: Role;
  disabled: boolean;
  /** The linked GitHub account; `id` is the identity, `login` is display only. */
  github: { id: number; login: string | null } | null;
  /** The GitHub login an admin invited, until its first sign-in binds the account. */
  invitedGitHubLogin: string | null;
  hasPassword: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt: Date | null;
  /** App-defined fields (`GATEHOUSE_USER_FIELDS`): every declared one, its default when unset. */
  fields: Record<string, UserFieldValue | null>;
}

/** A session as listed on the account page (no token, no hash). */
export interface SessionInfo {
  /** Public id: revoke by it. */
  id: string;
  method: SignInMethod;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** True for the session making the request. */
  current: boolean;
}

/** The result of checking a session token. */
export interface Authenticated {
  user: User;
  session: SessionInfo;
  /** The ways the user signs in besides a password (GitHub first, then the other providers by name), read in the same lookup. */
  identities: Identity[];
}

/** A successful sign-in: the user and the new session's bearer token (shown once, never stored). */
export interface SignedIn {
  user: User;
  token: string;
  session: SessionInfo;
}

/** Facts about the client, for rate limits and the session list. */
export interface ClientInfo {
  /** The client's address (socket address, or X-Forwarded-For behind a trusted proxy). */
  address?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * Fields of one's own profile a user may change (never username, role, disabled). A changed name,
 * email or avatar is kept across GitHub sign-ins; `null` (or "") clears it and lets GitHub's value
 * back in at the next GitHub sign-in. `theme`: one of {@link Theme}; `null` or "" means `system`.
 */
export interface ProfileUpdate {
  name?: string | null;
  email?: string | null;
  avatarUrl?: string | null;
  theme?: string | null;
  /** App-defined fields to set (those declared `set_by: "self"`); `null` clears one back to its default. */
  fields?: Record<string, unknown>;
}

/** What an admin gives to create a user. */
export interface NewUser {
  username: string;
  role?: Role;
  name?: string | null;
  email?: string | null;
  /** GitHub login to bind at that account's first GitHub sign-in. */
  githubLogin?: string | null;
  /** Optional initial password. */
  password?: string | null;
}

/** What an admin may change on a user. */
export interface AdminUserUpdate {
  role?: Role;
  disabled?: boolean;
  /** App-defined fields to set (any declared one); `null` clears one back to its default. */
  fields?: Record<string, unknown>;
}

/** One page of users. */
export interface UserPage {
  users: User[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * A way to sign in bound to an account: GitHub (kept on the user, `subject` its numeric id) or a
 * generic provider's `(provider, subject)`. `username` and `email` are the provider's, for display.
 */
export interface Identity {
  /** `github`, or the configured provider's name. */
  provider: string;
  subject: string;
  username: string | null;
  /** A verified address, as last seen; never used to match accounts. */
  email: string | null;
  /** When it was linked; `null` for GitHub links made before this was recorded (GitHub's link keeps no date). */
  linkedAt: Date | null;
  lastSignInAt: Date | null;
}

/** A configured sign-in provider, for pages: its URL name and what its button says. */
export interface ProviderInfo {
  name: string;
  displayName: string;
}

/** A completed web sign-in and where to send the browser. */
export interface OAuthSignedIn extends SignedIn {
  linked: false;
  returnTo: string;
}

/** A completed link: the account (whose session stays as it was) and where to send the browser. */
export interface OAuthLinked {
  linked: true;
  /** `github`, or the provider's name. */
  provider: string;
  user: User;
  returnTo: string;
}

/** What an OAuth callback completed: a sign-in, or a link started from the account page. */
export type OAuthOutcome = OAuthSignedIn | OAuthLinked;

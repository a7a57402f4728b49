/**
 * The database schema as Kysely sees it. Instants are epoch milliseconds (`bigint` in PostgreSQL,
 * parsed back to `number`); booleans are 0/1 integers so both databases store them alike.
 */
import type { ColumnType, Generated } from "kysely";

/** A user account: local fields plus the linked GitHub identity (numeric id = identity). */
export interface UsersTable {
  id: Generated<number>;
  /** Lower-case, unique. Never changed by a GitHub sign-in (GitHub logins can be renamed). */
  username: string;
  name: string | null;
  email: string | null;
  avatar_url: string | null;
  theme: string | null;
  role: string;
  disabled: ColumnType<number, number | undefined, number>;
  password_hash: string | null;
  /** GitHub's numeric user id: the stable identity (logins are renamed and re-registered). */
  github_id: number | null;
  /** The GitHub login as last seen at sign-in, for display only. */
  github_login: string | null;
  /** Lower-cased GitHub login an admin invited; matched once at first sign-in, then cleared. */
  invited_github_login: string | null;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
  /** 1 when the name was set in Gatehouse (by the user or an admin): GitHub sign-ins leave it alone. */
  name_edited: ColumnType<number, number | undefined, number>;
  /** 1 when the email was set in Gatehouse: GitHub sign-ins leave it alone. */
  email_edited: ColumnType<number, number | undefined, number>;
  /** 1 when the avatar URL was set in Gatehouse: GitHub sign-ins leave it alone. */
  avatar_edited: ColumnType<number, number | undefined, number>;
  /** App-defined fields as one JSON object (null: none set); the domain checks it on every write. */
  fields: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A signed-in session. Only the SHA-256 of the bearer token is stored. */
export interface SessionsTable {
  /** Public id (random, not the token): what pages show and revoke by. */
  id: string;
  token_hash: string;
  user_id: number;
  method: string;
  user_agent: string | null;
  ip: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/** A pending authorization (GitHub's or a generic provider's), keyed by the hash of the browser-binding cookie. */
export interface OAuthTransactionsTable {
  binding_hash: string;
  state: string;
  /** AES-256-GCM sealed PKCE verifier. */
  code_verifier: string;
  redirect_uri: string;
  return_to: string;
  created_at: number;
  expires_at: number;
  /** `github`, or the name of a generic provider: a callback completes only with the provider it was started for. */
  provider: ColumnType<string, string | undefined, string>;
  /** The OIDC nonce bound into the ID token (not secret: it travels in the authorization URL). */
  nonce: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when a signed-in user started a link: only that user's session may complete it. */
  link_user_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A generic provider's identity bound to a user; `(provider, subject)` is the identity. */
export interface IdentitiesTable {
  provider: string;
  /** The provider's stable subject (`sub`). */
  subject: string;
  user_id: number;
  /** The provider's handle as last seen, for display only. */
  username: string | null;
  /** A verified address as last seen, for display only (never used to match accounts). */
  email: string | null;
  /** When it was linked. */
  created_at: number;
  last_sign_in_at: number | null;
}

/** A pending device login started by a command-line client, keyed by the hash of its handle. */
export interface DeviceLoginsTable {
  handle_hash: string;
  /** AES-256-GCM sealed device code. */
  device_code: string;
  interval_s: number;
  next_poll_at: number;
  expires_at: number;
  user_agent: string | null;
  created_at: number;
}

/** The GitHub tokens of a linked user, sealed with AES-256-GCM. */
export interface GitHubTokensTable {
  user_id: number;
  access_token: string;
  refresh_token: string | null;
  scopes: string;
  expires_at: number | null;
  refresh_expires_at: number | null;
  needs_reauth: ColumnType<number, number | undefined, number>;
  /** Bumped on each write: the compare-and-swap guard for refresh across instances. */
  version: ColumnType<number, number | undefined, number>;
  /** Lease: an instance refreshing holds it until this instant. */
  refreshing_until: number | null;
  updated_at: number;
}

/** All tables. */
/** The single row `/healthz` rewrites to check that the database takes writes. */
export interface HealthProbeTable {
  id: number;
  checked_at: number;
}

export interface Database {
  health_probe: HealthProbeTable;
  users: UsersTable;
  sessions: SessionsTable;
  oauth_transactions: OAuthTransactionsTable;
  device_logins: DeviceLoginsTable;
  github_tokens: GitHubTokensTable;
  identities: IdentitiesTable;
}

/** The emulator's state, shared by its route modules, and the steps they have in common. */
import type { Context } from "hono";
import { CodeStore, GrantStore } from "./codes.js";
import { DeviceStore } from "./devices.js";
import type { AppRecord, UserRecord } from "./directory.js";
import { Directory } from "./directory.js";
import { FaultQueue } from "./faults.js";
import { RequestLog } from "./request-log.js";
import { normalizeScopes } from "./scopes.js";
import type { IssuedToken } from "./tokens.js";
import { TokenStore } from "./tokens.js";
import type { EmulatorRoute } from "./types.js";
import { WebSessions } from "./web-session.js";

/** Hono environment of the emulator's app: the matched route and the raw body, read once. */
export interface EmulatorEnv {
  Variables: { route: EmulatorRoute | null; body: string };
}

export type EmulatorContext = Context<EmulatorEnv>;

export class Core {
  readonly dir: Directory;
  readonly tokens: TokenStore;
  readonly codes: CodeStore;
  readonly grants = new GrantStore();
  readonly devices: DeviceStore;
  readonly web: WebSessions;
  readonly faults = new FaultQueue();
  readonly log = new RequestLog();
  autoApprove: string | null;

  constructor(
    readonly now: () => number,
    deviceInterval: number,
    autoApprove: string | null,
    private readonly fixedOrigin: string | null,
  ) {
    this.dir = new Directory(now);
    this.tokens = new TokenStore(now);
    this.codes = new CodeStore(now);
    this.devices = new DeviceStore(now, deviceInterval);
    this.web = new WebSessions(now);
    this.autoApprove = autoApprove;
  }

  /** The emulator's origin: the configured one, else the request's. */
  origin(requestUrl: string): string {
    return this.fixedOrigin ?? new URL(requestUrl).origin;
  }

  /** RFC 9207 issuer, as GitHub sends it in callbacks: `{web}/login/oauth`. */
  issuer(requestUrl: string): string {
    return `${this.origin(requestUrl)}/login/oauth`;
  }

  avatarUrl(requestUrl: string, user: UserRecord): string {
    // Like avatars.githubusercontent.com: a new picture gets a new `?v=`, so caches do not keep the old one.
    return `${this.origin(requestUrl)}/avatars/u/${user.id}${user.avatarVersion === 0 ? "" : `?v=${user.avatarVersion}`}`;
  }

  /** Records a user's consent; GitHub keeps the union of everything granted to the app. */
  grant(user: UserRecord, app: AppRecord, scopes: string[]): string[] {
    const union = app.kind === "github-app" ? [] : normalizeScopes([...(this.grants.get(user.id, app.clientId) ?? []), ...scopes]);
    this.grants.set(user.id, app.clientId, union);
    return union;
  }

  /** A user token: expiring for GitHub Apps, opted-in apps, and OAuth apps asked for `offline_access`. */
  issueToken(app: AppRecord, user: UserRecord, scopes: string[], offlineAccess: boolean, viaDevice: boolean): IssuedToken {
    const expiring = app.expiringTokens || (app.kind === "oauth-app" && offlineAccess);
    return this.tokens.issue({ app, userId: user.id, scopes: app.kind === "github-app" ? [] : scopes, expiring, viaDevice });
  }

  /** Revokes a user's tokens, refresh tokens and unused codes (all apps). */
  revokeUser(user: UserRecord): void {
    this.tokens.revokeUser(user.id);
    this.codes.revokeUser(user.id);
  }
}

/** GitHub refuses to issue a token to a user without a verified primary email. */
export function hasVerifiedPrimaryEmail(user: UserRecord): boolean {
  return user.emails.some((e) => e.primary && e.verified);
}

/** The token endpoint's success body (field order as GitHub sends it). */
export function tokenFields(issued: IssuedToken): Record<string, string | number> {
  const fields: Record<string, string | number> = { access_token: issued.accessToken };
  if (issued.expiresIn !== null && issued.refreshToken !== null && issued.refreshTokenExpiresIn !== null) {
    fields["expires_in"] = issued.expiresIn;
    fields["refresh_token"] = issued.refreshToken;
    fields["refresh_token_expires_in"] = issued.refreshTokenExpiresIn;
  }
  fields["token_type"] = "bearer";
  // Comma-separated, and always present ("" when none): some clients split it unconditionally.
  fields["scope"] = issued.record.scopes.join(",");
  return fields;
}

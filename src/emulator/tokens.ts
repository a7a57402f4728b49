/**
 * Access and refresh tokens, stored by SHA-256 digest (never by value) with their expiry from the
 * emulator's clock.
 */
import { digest, newToken } from "./secrets.js";
import type { AppRecord } from "./directory.js";

/** GitHub: user access tokens of expiring apps live 8 hours (`expires_in: 28800`). */
const ACCESS_TOKEN_TTL_S = 8 * 60 * 60;
/** GitHub: refresh tokens live about 6 months (the value has varied; clients must read it). */
const REFRESH_TOKEN_TTL_S = 15_897_600;
/** GitHub keeps at most 10 tokens per user, app and scope set; the 11th revokes the oldest. */
const MAX_TOKENS_PER_GRANT = 10;
/**
 * GitHub's separate creation limit: 10 tokens an hour. Reaching it revokes nothing; the browser
 * flow asks the user to re-authorize instead of skipping consent.
 */
const HOURLY_CREATION_LIMIT = 10;
const HOUR_MS = 60 * 60 * 1000;

export interface TokenRecord {
  id: number;
  digest: string;
  /** Last eight characters, as GitHub's token API reports (`token_last_eight`). */
  lastEight: string;
  clientId: string;
  userId: number;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  refreshDigest: string | null;
  viaDevice: boolean;
}

interface RefreshRecord {
  accessDigest: string;
  clientId: string;
  userId: number;
  scopes: string[];
  expiresAt: number;
  viaDevice: boolean;
}

/** What the token endpoint returns for a new token. */
export interface IssuedToken {
  accessToken: string;
  record: TokenRecord;
  refreshToken: string | null;
  expiresIn: number | null;
  refreshTokenExpiresIn: number | null;
}

export interface IssueRequest {
  app: AppRecord;
  userId: number;
  scopes: string[];
  expiring: boolean;
  viaDevice: boolean;
}

export class TokenStore {
  private readonly access = new Map<string, TokenRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  /** Live tokens per user, app and scope set, oldest first (for the 10-token limit). */
  private readonly byGrant = new Map<string, TokenRecord[]>();
  /** Creation times per user, app and scope set within the last hour (for the hourly limit). */
  private readonly createdAt = new Map<string, number[]>();
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  issue(req: IssueRequest): IssuedToken {
    const now = this.now();
    const accessToken = newToken(req.app.kind === "github-app" ? "ghu_" : "gho_");
    const refreshToken = req.expiring ? newToken("ghr_") : null;
    const record: TokenRecord = {
      id: this.nextId++,
      digest: digest(accessToken),
      lastEight: accessToken.slice(-8),
      clientId: req.app.clientId,
      userId: req.userId,
      scopes: [...req.scopes],
      createdAt: now,
      updatedAt: now,
      expiresAt: req.expiring ? now + ACCESS_TOKEN_TTL_S * 1000 : null,
      refreshDigest: refreshToken === null ? null : digest(refreshToken),
      viaDevice: req.viaDevice,
    };
    this.enforceLimit(record);
    this.access.set(record.digest, record);
    const key = grantKey(record);
    this.createdAt.set(key, [...this.recent(key), now]);
    const list = this.byGrant.get(key);
    if (list) list.push(record);
    else this.byGrant.set(key, [record]);
    if (refreshToken !== null && record.refreshDigest !== null) {
      this.refresh.set(record.refreshDigest, {
        accessDigest: record.digest,
        clientId: record.clientId,
        userId: record.userId,
        scopes: record.scopes,
        expiresAt: now + REFRESH_TOKEN_TTL_S * 1000,
        viaDevice: req.viaDevice,
      });
    }
    return {
      accessToken,
      record,
      refreshToken,
      expiresIn: req.expiring ? ACCESS_TOKEN_TTL_S : null,
      refreshTokenExpiresIn: req.expiring ? REFRESH_TOKEN_TTL_S : null,
    };
  }

  /** The live record for an access token, or undefined when unknown, revoked or expired. */
  findAccess(token: string): TokenRecord | undefined {
    const record = this.access.get(digest(token));
    if (!record) return undefined;
    if (record.expiresAt !== null && this.now() >= record.expiresAt) return undefined;
    return record;
  }

  /**
   * Rotates a refresh token: the old refresh token and its access token die (GitHub behaviour),
   * scopes stay. Returns undefined for an unknown, used, expired or other-app refresh token.
   * Synchronous, so of two concurrent refreshes exactly one wins.
   */
  rotate(app: AppRecord, refreshToken: string): { issued: IssuedToken; viaDevice: boolean } | undefined {
    const key = digest(refreshToken);
    const old = this.refresh.get(key);
    if (!old || old.clientId !== app.clientId) return undefined;
    this.refresh.delete(key);
    // Revoke (not just forget) the old access token, so it stops counting toward the 10-token
    // limit: a refresh replaces a token, it must not push out the user's oldest live one.
    const oldAccess = this.access.get(old.accessDigest);
    if (oldAccess) this.revoke(oldAccess);
    if (this.now() >= old.expiresAt) return undefined;
    const issued = this.issue({ app, userId: old.userId, scopes: old.scopes, expiring: true, viaDevice: old.viaDevice });
    return { issued, viaDevice: old.viaDevice };
  }

  /** Whether a refresh token exists for this app and came from the device flow (no secret needed then). */
  refreshViaDevice(clientId: string, refreshToken: string): boolean {
    const record = this.refresh.get(digest(refreshToken));
    return record !== undefined && record.clientId === clientId && record.viaDevice;
  }

  /** Revokes one access token (and its refresh token). */
  revoke(record: TokenRecord): void {
    this.access.delete(record.digest);
    if (record.refreshDigest !== null) this.refresh.delete(record.refreshDigest);
    const key = grantKey(record);
    const list = this.byGrant.get(key)?.filter((r) => r !== record) ?? [];
    if (list.length > 0) this.byGrant.set(key, list);
    else this.byGrant.delete(key);
  }

  /** `PATCH /applications/{client_id}/token`: a new token with the same grant; the old one dies. */
  reset(app: AppRecord, record: TokenRecord): IssuedToken {
    this.revoke(record);
    return this.issue({ app, userId: record.userId, scopes: record.scopes, expiring: record.expiresAt !== null, viaDevice: record.viaDevice });
  }

  /** Revokes every token of a user, for one app or (clientId undefined) all apps. */
  revokeUser(userId: number, clientId?: string): void {
    for (const record of [...this.access.values()]) {
      if (record.userId === userId && (clientId === undefined || record.clientId === clientId)) this.revoke(record);
    }
    for (const [key, r] of [...this.refresh.entries()]) {
      if (r.userId === userId && (clientId === undefined || r.clientId === clientId)) this.refresh.delete(key);
    }
  }

  /** Whether this user, app and scope set reached the hourly creation limit (re-authorize in the browser). */
  hourlyLimitReached(userId: number, clientId: string, scopes: readonly string[]): boolean {
    return this.recent(grantKey({ userId, clientId, scopes })).length >= HOURLY_CREATION_LIMIT;
  }

  private recent(key: string): number[] {
    const since = this.now() - HOUR_MS;
    return (this.createdAt.get(key) ?? []).filter((t) => t > since);
  }

  private enforceLimit(incoming: TokenRecord): void {
    const same = this.byGrant.get(grantKey(incoming)) ?? [];
    for (const r of same.slice(0, Math.max(0, same.length - (MAX_TOKENS_PER_GRANT - 1)))) this.revoke(r);
  }
}

function grantKey(r: { userId: number; clientId: string; scopes: readonly string[] }): string {
  return `${r.userId}:${r.clientId}:${[...r.scopes].sort().join(",")}`;
}

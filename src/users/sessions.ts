/**
 * Sessions: opaque 32-byte random tokens; only their SHA-256 is stored. A check is one indexed
 * lookup with the user joined; `last_seen_at` is written at most once per `touchIntervalMs`, so a
 * check is not a write every time. Idle and absolute expiry both apply.
 */
import type { Store } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { hashToken, randomToken } from "./secrets.js";
import { toSessionInfo, toUser } from "./user-record.js";
import type { Authenticated, ClientInfo, SessionInfo, SignInMethod } from "./types.js";
import { identitiesOf } from "./sign-in-methods.js";
import { UsersError } from "./errors.js";

/** Session lifetimes. */
export interface SessionOptions {
  /** A session unused this long ends. Default 14 days. */
  idleTimeoutMs?: number;
  /** A session ends this long after sign-in, used or not. Default 30 days. */
  maxAgeMs?: number;
  /** `last_seen_at` is updated at most this often. Default 60 s. */
  touchIntervalMs?: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Creates, checks, lists and revokes sessions. */
export class Sessions {
  readonly idleTimeoutMs: number;
  readonly maxAgeMs: number;
  readonly touchIntervalMs: number;

  constructor(private readonly ctx: DomainContext, options: SessionOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 14 * DAY;
    this.maxAgeMs = options.maxAgeMs ?? 30 * DAY;
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
  }

  #liveness() {
    const now = this.ctx.now();
    return { now, idleCutoff: now - this.idleTimeoutMs };
  }

  /**
   * Opens a new session (a new id at every sign-in: no fixation). Runs in the caller's transaction
   * when given one, so a sign-in is all-or-nothing.
   */
  async create(store: Store, userId: number, method: SignInMethod, client: ClientInfo): Promise<{ token: string; session: SessionInfo }> {
    const token = randomToken();
    const now = this.ctx.now();
    const row = {
      id: randomToken().slice(0, 22),
      token_hash: hashToken(token),
      user_id: userId,
      method,
      user_agent: client.userAgent?.slice(0, 400) ?? null,
      ip: client.address ?? null,
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.maxAgeMs,
    };
    await store.sessions.insert(row);
    return { token, session: toSessionInfo(row, row.id) };
  }

  /** The user and session for a bearer token, or `undefined` when it is unknown, expired or the user disabled. */
  async authenticate(token: string): Promise<Authenticated | undefined> {
    if (token.length < 20 || token.length > 200) return undefined;
    const at = this.#liveness();
    const found = await this.ctx.store.sessions.findLive(hashToken(token), at);
    if (!found) return undefined;
    if (at.now - found.session.last_seen_at >= this.touchIntervalMs) {
      await this.ctx.store.sessions.touch(found.session.id, at.now);
      found.session.last_seen_at = at.now;
    }
    const user = toUser(found.user, this.ctx.userFields);
    return { user, session: toSessionInfo(found.session, found.session.id), identities: identitiesOf(user, found.identities) };
  }

  async list(userId: number, currentId?: string): Promise<SessionInfo[]> {
    const rows = await this.ctx.store.sessions.listLiveForUser(userId, this.#liveness());
    return rows.map((r) => toSessionInfo(r, currentId));
  }

  /** When the user's live session `sessionId` was opened, or `undefined` when it is not theirs or not live. */
  async openedAt(userId: number, sessionId: string): Promise<number | undefined> {
    const rows = await this.ctx.store.sessions.listLiveForUser(userId, this.#liveness());
    return rows.find((r) => r.id === sessionId)?.created_at;
  }

  /** Revokes one of the user's own sessions by its public id. */
  async revoke(userId: number, sessionId: string): Promise<void> {
    if (!(await this.ctx.store.sessions.deleteForUser(userId, sessionId))) {
      throw new UsersError("not_found", "no such session");
    }
  }

  /** Sign-out: revokes the session of this token server-side. Unknown tokens are a no-op. */
  async revokeToken(token: string): Promise<void> {
    await this.ctx.store.sessions.deleteByTokenHash(hashToken(token));
  }

  async revokeAll(store: Store, userId: number, exceptId?: string): Promise<number> {
    return store.sessions.deleteAllForUser(userId, exceptId);
  }

  async purgeExpired(): Promise<number> {
    return this.ctx.store.sessions.purgeExpired(this.#liveness());
  }
}

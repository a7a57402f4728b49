/**
 * The emulator's own browser session (which seeded user is "signed in to GitHub"), per-page CSRF
 * tokens, and pending web authorizations between the pages.
 */
import { digest, newId, safeEqual } from "./secrets.js";

/** Cookie naming the emulator's signed-in user; HttpOnly, SameSite=Lax. */
export const SESSION_COOKIE = "gh_emulator_session";
const PAGE_TTL_MS = 10 * 60 * 1000;

/** An authorize request that passed validation and waits for the user on the pages. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  requestedScopes: string[];
  scopeSent: boolean;
  offlineAccess: boolean;
  codeChallenge: string | null;
  loginHint: string | undefined;
  allowSignup: boolean;
  /** The user chosen for this authorization (set once the picker or session decided). */
  userId: number | null;
  /** Per-page CSRF token of the page currently showing this authorization. */
  csrf: string;
  expiresAt: number;
}

export class WebSessions {
  private readonly sessions = new Map<string, number>();
  private readonly csrf = new Map<string, { purpose: string; expiresAt: number }>();
  private readonly pending = new Map<string, PendingAuthorization>();

  constructor(private readonly now: () => number) {}

  /** Starts a session for `userId`; returns the cookie value. */
  signIn(userId: number): string {
    const id = newId();
    this.sessions.set(digest(id), userId);
    return id;
  }

  /** The signed-in user id for a cookie header, if any. */
  userId(cookieHeader: string | undefined): number | undefined {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    return value === undefined ? undefined : this.sessions.get(digest(value));
  }

  /** A fresh CSRF token for a page whose form posts for `purpose`. */
  issueCsrf(purpose: string): string {
    this.prune();
    const token = newId();
    this.csrf.set(digest(token), { purpose, expiresAt: this.now() + PAGE_TTL_MS });
    return token;
  }

  /** Checks and consumes a CSRF token. */
  checkCsrf(token: string | undefined, purpose: string): boolean {
    if (!token) return false;
    const key = digest(token);
    const entry = this.csrf.get(key);
    if (!entry) return false;
    this.csrf.delete(key);
    return entry.purpose === purpose && this.now() < entry.expiresAt;
  }

  addPending(p: Omit<PendingAuthorization, "expiresAt" | "csrf">): { id: string; pending: PendingAuthorization } {
    this.prune();
    const id = newId();
    const pending: PendingAuthorization = { ...p, csrf: "", expiresAt: this.now() + PAGE_TTL_MS };
    this.pending.set(id, pending);
    return { id, pending };
  }

  /** A live pending authorization, optionally checking and consuming the page's CSRF token. */
  getPending(id: string | undefined, csrf?: string | undefined): PendingAuthorization | undefined {
    if (!id) return undefined;
    const p = this.pending.get(id);
    if (!p || this.now() >= p.expiresAt) return undefined;
    if (csrf !== undefined && !(p.csrf !== "" && safeEqual(p.csrf, csrf))) return undefined;
    return p;
  }

  /** A new CSRF token for the page about to show `pending`. */
  pageToken(pending: PendingAuthorization): string {
    pending.csrf = newId();
    return pending.csrf;
  }

  finish(id: string): void {
    this.pending.delete(id);
  }

  private prune(): void {
    const now = this.now();
    for (const [k, v] of this.csrf) if (now >= v.expiresAt) this.csrf.delete(k);
    for (const [k, v] of this.pending) if (now >= v.expiresAt) this.pending.delete(k);
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie value for a new session. */
export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax`;
}

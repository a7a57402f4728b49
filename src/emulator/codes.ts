/** Web-flow authorization codes (single use, 10 minutes) and the grants users gave apps. */
import { digest, newCode } from "./secrets.js";

/** GitHub: a code expires 10 minutes after it was issued. */
const CODE_TTL_MS = 10 * 60 * 1000;

export interface CodeRecord {
  clientId: string;
  userId: number;
  scopes: string[];
  /** Where the callback went. */
  redirectUri: string;
  codeChallenge: string | null;
  /** `offline_access` was requested: an OAuth app's token expires and has a refresh token. */
  offlineAccess: boolean;
  expiresAt: number;
}

export class CodeStore {
  private readonly codes = new Map<string, CodeRecord>();

  constructor(private readonly now: () => number) {}

  issue(record: Omit<CodeRecord, "expiresAt">): string {
    this.prune();
    const code = newCode();
    this.codes.set(digest(code), { ...record, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /**
   * Takes a code out: whatever happens next (success, wrong verifier, wrong redirect URI), a code
   * is good for one exchange only, as on GitHub (a second gets `bad_verification_code`).
   */
  take(code: string): CodeRecord | undefined {
    const key = digest(code);
    const record = this.codes.get(key);
    if (!record) return undefined;
    this.codes.delete(key);
    return this.now() < record.expiresAt ? record : undefined;
  }

  revokeUser(userId: number, clientId?: string): void {
    for (const [key, r] of this.codes) if (r.userId === userId && (clientId === undefined || r.clientId === clientId)) this.codes.delete(key);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, r] of this.codes) if (now >= r.expiresAt) this.codes.delete(key);
  }
}

/** The scopes each user granted each app: GitHub skips consent when nothing new is asked. */
export class GrantStore {
  private readonly grants = new Map<string, string[]>();

  get(userId: number, clientId: string): string[] | undefined {
    return this.grants.get(`${userId}:${clientId}`);
  }

  set(userId: number, clientId: string, scopes: string[]): void {
    this.grants.set(`${userId}:${clientId}`, scopes);
  }

  delete(userId: number, clientId: string): void {
    this.grants.delete(`${userId}:${clientId}`);
  }
}

/**
 * The ways into an account besides its password: GitHub (on the user row) and the generic
 * providers' identities. Listed for the pages and the API (the session check reads a user's own in
 * its one statement), and unlinked — never the last way in.
 */
import type { IdentityRow, UserRow } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import type { Identity, User } from "./types.js";

function fromRow(row: IdentityRow): Identity {
  return {
    provider: row.provider,
    subject: row.subject,
    username: row.username,
    email: row.email,
    linkedAt: new Date(row.created_at),
    lastSignInAt: row.last_sign_in_at === null ? null : new Date(row.last_sign_in_at),
  };
}

/** A user's identities from their rows: GitHub first (it is first-class), then the generic providers by name. */
export function identitiesOf(user: Pick<User, "github">, rows: readonly IdentityRow[]): Identity[] {
  const github: Identity[] = user.github === null
    ? []
    : [{ provider: "github", subject: String(user.github.id), username: user.github.login, email: null, linkedAt: null, lastSignInAt: null }];
  return [...github, ...rows.map(fromRow)];
}

/** Lists and unlinks sign-in methods. */
export class SignInMethods {
  constructor(private readonly ctx: DomainContext) {}

  /** A user's linked identities (GitHub included). */
  async list(user: User): Promise<Identity[]> {
    return identitiesOf(user, await this.ctx.store.identities.listForUser(user.id));
  }

  /** The identities of many users in one query, by user id. */
  async forUsers(users: readonly User[]): Promise<Map<number, Identity[]>> {
    const rows = await this.ctx.store.identities.listForUsers(users.map((u) => u.id));
    const byUser = new Map<number, IdentityRow[]>();
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row]);
    return new Map(users.map((u) => [u.id, identitiesOf(u, byUser.get(u.id) ?? [])]));
  }

  /**
   * Unlinks `provider` (`github` included: its id, login and stored tokens go). Refused with
   * `last_sign_in_method` when nothing else would let the account sign in.
   */
  async unlink(userId: number, provider: string): Promise<void> {
    await this.ctx.store.transaction(async (store) => {
      // Locked: two unlinks at once must not each leave the other as the last way in, then remove it.
      const row = await store.users.findByIdForUpdate(userId);
      if (!row) throw new UsersError("not_found", "no such user");
      const identities = await store.identities.listForUser(userId);
      const linked = provider === "github" ? row.github_id !== null : identities.some((i) => i.provider === provider);
      if (!linked) throw new UsersError("not_found", `no ${provider} sign-in is linked to this account`, { field: "provider" });
      if (remainingWays(row, identities, provider) === 0) {
        throw new UsersError("last_sign_in_method", "this is the last way to sign in to this account; set a password or link another sign-in first");
      }
      if (provider === "github") {
        await store.users.update(userId, { github_id: null, github_login: null, updated_at: this.ctx.now() });
        await store.githubTokens.delete(userId);
      } else {
        await store.identities.deleteForUser(userId, provider);
      }
    });
    this.ctx.log.info({ userId, provider }, "sign-in method unlinked");
  }
}

/** How many ways into the account are left without `provider`. */
function remainingWays(row: UserRow, identities: readonly IdentityRow[], provider: string): number {
  return (row.password_hash !== null ? 1 : 0) + (row.github_id !== null && provider !== "github" ? 1 : 0) +
    identities.filter((i) => i.provider !== provider).length;
}

/**
 * Whether unlinking `provider` would leave a way in, from what the pages already have: the user
 * and its identities (GitHub included).
 *
 * @example
 * canUnlink(user, identities, "gitlab"); // false when gitlab is all there is
 */
export function canUnlink(user: Pick<User, "hasPassword">, identities: readonly Identity[], provider: string): boolean {
  return user.hasPassword || identities.some((i) => i.provider !== provider);
}

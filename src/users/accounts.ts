/** Accounts: own profile, passwords (set by the owner or an admin only), and admin management. */
import { StoreError } from "../store/index.js";
import type { Store, UserRow, UserRowPatch } from "../store/index.js";
import type { DomainContext } from "./context.js";
import { UsersError } from "./errors.js";
import { hashPassword } from "./passwords.js";
import type { PasswordLogin } from "./password-login.js";
import type { ScryptParams } from "./passwords.js";
import type { Sessions } from "./sessions.js";
import { roleOf, toUser } from "./user-record.js";
import { writeFields } from "./user-fields.js";
import type { AdminUserUpdate, NewUser, ProfileUpdate, User, UserPage } from "./types.js";
import {
  checkEmail, checkGitHubLogin, checkPassword, checkRole, checkText, checkTheme, checkUrl, normalizeUsername,
} from "./validation.js";

/** Turns a unique violation into the domain's code for it. */
function fromUniqueViolation(err: unknown): unknown {
  if (err instanceof StoreError && err.code === "unique_violation") {
    if (err.constraint === "users.username") return new UsersError("username_taken", "that username is taken", { field: "username", cause: err });
    if (err.constraint === "users.invited_github_login") {
      return new UsersError("github_login_taken", "another account is already waiting for that GitHub login", { field: "github_login", cause: err });
    }
  }
  return err;
}

/** Profile and admin operations. */
/** How recent a sign-in must be to set a first password (no current password to check). */
const RECENT_SIGN_IN_MS = 10 * 60_000;

export class Accounts {
  constructor(
    private readonly ctx: DomainContext,
    private readonly sessions: Sessions,
    private readonly passwordParams: ScryptParams | undefined,
    private readonly passwordLogin: PasswordLogin,
  ) {}

  async #row(id: number): Promise<UserRow> {
    const row = await this.ctx.store.users.findById(id);
    if (!row) throw new UsersError("not_found", "no such user");
    return row;
  }

  async #rowByUsername(username: string): Promise<UserRow> {
    const row = await this.ctx.store.users.findByUsername(normalizeUsername(username));
    if (!row) throw new UsersError("not_found", `no user named ${JSON.stringify(username)}`);
    return row;
  }

  async get(id: number): Promise<User> {
    return toUser(await this.#row(id), this.ctx.userFields);
  }

  async getByUsername(username: string): Promise<User> {
    return toUser(await this.#rowByUsername(username), this.ctx.userFields);
  }

  /**
   * Changes one's own profile. A name, email or avatar that changes is marked as set in Gatehouse,
   * so GitHub sign-ins keep it; cleared (null or ""), it follows GitHub again from the next GitHub
   * sign-in. A value sent unchanged (a form posts every field) changes no mark.
   */
  async updateProfile(id: number, update: ProfileUpdate): Promise<User> {
    const current = await this.#row(id);
    const patch: UserRowPatch = { updated_at: this.ctx.now() };
    const set = (column: "name" | "email" | "avatar_url", mark: "name_edited" | "email_edited" | "avatar_edited", value: string | null) => {
      patch[column] = value;
      if (value === null) patch[mark] = 0;
      else if (value !== current[column]) patch[mark] = 1;
    };
    if (update.name !== undefined) set("name", "name_edited", checkText(update.name, "name"));
    if (update.email !== undefined) set("email", "email_edited", checkEmail(update.email));
    if (update.avatarUrl !== undefined) set("avatar_url", "avatar_edited", checkUrl(update.avatarUrl, "avatar"));
    if (update.theme !== undefined) patch.theme = checkTheme(update.theme);
    if (update.fields !== undefined) patch.fields = writeFields(current.fields, update.fields, this.ctx.userFields, "self");
    const row = await this.ctx.store.users.update(id, patch);
    if (!row) throw new UsersError("not_found", "no such user");
    return toUser(row, this.ctx.userFields);
  }

  /**
   * The owner changes their password: the current one must match (when there is one); other
   * sessions are revoked, the current one is kept.
   */
  async changePassword(id: number, current: string | undefined, next: string, keepSessionId?: string): Promise<void> {
    const newPassword = checkPassword(next, "new_password");
    const row = await this.#row(id);
    if (row.password_hash !== null) {
      if (!(await this.passwordLogin.verifyCurrent(row, current))) {
        throw new UsersError("invalid_credentials", "the current password is wrong", { field: "current_password" });
      }
    } else {
      // No current password to prove: ask for a fresh sign-in instead, so that a stolen session
      // cookie cannot add a password and keep the account after that session is revoked.
      const openedAt = keepSessionId === undefined ? undefined : await this.sessions.openedAt(id, keepSessionId);
      if (openedAt === undefined || this.ctx.now() - openedAt > RECENT_SIGN_IN_MS) {
        throw new UsersError("recent_sign_in_required", "to set a first password, sign in with GitHub again and set it within 10 minutes", { field: "new_password" });
      }
    }
    const hash = await hashPassword(newPassword, this.passwordParams);
    await this.ctx.store.transaction(async (tx) => {
      await tx.users.update(id, { password_hash: hash, updated_at: this.ctx.now() });
      await this.sessions.revokeAll(tx, id, keepSessionId);
    });
    this.ctx.log.info({ userId: id }, "password changed");
  }

  /** An admin sets (or, with null, removes) a user's password; that user's sessions are revoked. */
  async setPassword(username: string, password: string | null): Promise<void> {
    const row = await this.#rowByUsername(username);
    const hash = password === null ? null : await hashPassword(checkPassword(password), this.passwordParams);
    await this.ctx.store.transaction(async (tx) => {
      await tx.users.update(row.id, { password_hash: hash, updated_at: this.ctx.now() });
      await this.sessions.revokeAll(tx, row.id);
    });
    this.ctx.log.info({ userId: row.id }, "password set by an admin");
  }

  async list(query: { search?: string; limit?: number; offset?: number } = {}): Promise<UserPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    const search = query.search === undefined ? undefined : checkText(query.search, "search", 100) ?? undefined;
    const { rows, total } = await this.ctx.store.users.list(search === undefined ? { limit, offset } : { search, limit, offset });
    return { users: rows.map((r) => toUser(r, this.ctx.userFields)), total, limit, offset };
  }

  async create(input: NewUser): Promise<User> {
    const username = normalizeUsername(input.username);
    const role = input.role === undefined ? "user" : checkRole(input.role);
    const githubLogin = input.githubLogin === undefined || input.githubLogin === null ? null : checkGitHubLogin(input.githubLogin);
    const name = input.name === undefined ? null : checkText(input.name, "name");
    const email = input.email === undefined ? null : checkEmail(input.email);
    const hash = input.password === undefined || input.password === null
      ? null
      : await hashPassword(checkPassword(input.password), this.passwordParams);
    const now = this.ctx.now();
    try {
      const row = await this.ctx.store.users.insert({
        username, role, name, email, password_hash: hash,
        // What an admin gives counts as set in Gatehouse: the first GitHub sign-in keeps it.
        name_edited: name === null ? 0 : 1,
        email_edited: email === null ? 0 : 1,
        invited_github_login: githubLogin?.toLowerCase() ?? null,
        github_login: githubLogin,
        created_at: now, updated_at: now,
      });
      this.ctx.log.info({ userId: row.id, role }, "user created");
      return toUser(row, this.ctx.userFields);
    } catch (err) {
      throw fromUniqueViolation(err);
    }
  }

  /** Role and disabled flag. Disabling revokes the user's sessions at once; the last active admin stays. */
  async update(username: string, update: AdminUserUpdate): Promise<User> {
    const role = update.role === undefined ? undefined : checkRole(update.role);
    if (update.disabled !== undefined && typeof update.disabled !== "boolean") {
      throw new UsersError("invalid_input", "disabled must be true or false", { field: "disabled" });
    }
    const target = await this.#rowByUsername(username);
    return this.ctx.store.transaction(async (tx) => {
      const losesAdmin = roleOf(target) === "admin" && target.disabled === 0 && (role === "user" || update.disabled === true);
      if (losesAdmin) await this.#keepOneAdmin(tx);
      const patch: UserRowPatch = { updated_at: this.ctx.now() };
      if (role !== undefined) patch.role = role;
      if (update.fields !== undefined) patch.fields = writeFields(target.fields, update.fields, this.ctx.userFields, "admin");
      if (update.disabled !== undefined) patch.disabled = update.disabled ? 1 : 0;
      const row = await tx.users.update(target.id, patch);
      if (!row) throw new UsersError("not_found", "no such user");
      if (update.disabled === true) await this.sessions.revokeAll(tx, target.id);
      this.ctx.log.info({ userId: target.id, role: row.role, disabled: row.disabled === 1 }, "user updated by an admin");
      return toUser(row, this.ctx.userFields);
    });
  }

  /** Deletes a user; sessions and stored GitHub tokens go with it (foreign keys cascade). */
  async delete(username: string): Promise<void> {
    const target = await this.#rowByUsername(username);
    await this.ctx.store.transaction(async (tx) => {
      if (roleOf(target) === "admin" && target.disabled === 0) await this.#keepOneAdmin(tx);
      await this.sessions.revokeAll(tx, target.id);
      await tx.users.delete(target.id);
    });
    this.ctx.log.info({ userId: target.id }, "user deleted");
  }

  async #keepOneAdmin(tx: Store): Promise<void> {
    if ((await tx.users.countActiveAdmins({ lock: true })) <= 1) {
      throw new UsersError("last_admin", "this is the last active admin; make another admin first");
    }
  }
}

/**
 * What an admin can do to a user from `/admin/users`, with the words each step uses: the link in
 * the list, the confirmation question, the button that confirms, the notice once done.
 */
import type { User, Users } from "../../users/index.js";

/** An action on one user. */
export type AdminAction = "make-admin" | "make-user" | "disable" | "enable" | "delete";

interface ActionText {
  /** The verb on the list's link and the confirm button, e.g. "Disable" → "Disable bob". */
  verb: string;
  question: (username: string) => string;
  consequence: string;
  /** Said on the confirmation page when admins act on their own account and lose access by it. */
  selfConsequence?: string;
  done: (username: string) => string;
  /** Whether the action applies to this user (a disabled user gets "Enable", not "Disable"). */
  applies: (user: User) => boolean;
  run: (users: Users, username: string) => Promise<unknown>;
}

/** The actions, in the order the list shows them. */
export const ADMIN_ACTIONS: Record<AdminAction, ActionText> = {
  "make-admin": {
    verb: "Make admin",
    question: (u) => `Make ${u} an administrator?`,
    consequence: "Administrators can create, change, disable and delete every user, including you.",
    done: (u) => `${u} is now an administrator.`,
    applies: (user) => user.role !== "admin",
    run: (users, u) => users.update(u, { role: "admin" }),
  },
  "make-user": {
    verb: "Remove admin",
    question: (u) => `Remove administrator rights from ${u}?`,
    consequence: "They keep their account but can no longer manage users.",
    selfConsequence: "This is your own account: you will no longer be able to manage users, or to open this page.",
    done: (u) => `${u} is no longer an administrator.`,
    applies: (user) => user.role === "admin",
    run: (users, u) => users.update(u, { role: "user" }),
  },
  disable: {
    verb: "Disable",
    question: (u) => `Disable ${u}?`,
    consequence: "They are signed out everywhere at once and cannot sign in until the account is enabled again.",
    selfConsequence: "This is your own account: you will be signed out, here too.",
    done: (u) => `${u} is disabled and was signed out everywhere.`,
    applies: (user) => !user.disabled,
    run: (users, u) => users.update(u, { disabled: true }),
  },
  enable: {
    verb: "Enable",
    question: (u) => `Enable ${u}?`,
    consequence: "They can sign in again.",
    done: (u) => `${u} is enabled again.`,
    applies: (user) => user.disabled,
    run: (users, u) => users.update(u, { disabled: false }),
  },
  delete: {
    verb: "Delete",
    question: (u) => `Delete ${u}?`,
    consequence: "The account, its sessions and its stored GitHub tokens are removed. This cannot be undone.",
    selfConsequence: "This is your own account: you will be signed out, here too.",
    done: (u) => `${u} was deleted.`,
    applies: () => true,
    run: (users, u) => users.delete(u),
  },
};

/**
 * Narrows a string from a URL to an action.
 *
 * @example
 * if (isAdminAction(c.req.param("action"))) ADMIN_ACTIONS[c.req.param("action")].verb;
 */
export function isAdminAction(value: string | undefined): value is AdminAction {
  return value !== undefined && Object.hasOwn(ADMIN_ACTIONS, value);
}

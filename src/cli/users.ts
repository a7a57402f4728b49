/**
 * `gatehouse users list|create|set-role|disable|enable|delete`: user administration on the
 * database directly, through the users domain (the same rules as the admin pages: the last active
 * admin stays, disabling revokes sessions at once). Passwords never come from argv.
 */
import type { Role, User } from "../users/index.js";
import { DEFAULT_DATABASE_URL } from "../store/index.js";
import { userJson } from "../wire/user-json.js";
import { parseCommandArgs } from "./args.js";
import { CliError, runCommand } from "./cli-error.js";
import { promptHidden, promptLine, readStdinLine, stdinIsTerminal } from "./prompt.js";
import { formatTable } from "./table.js";
import { translateDomainError, withUsers } from "./users-database.js";

const DATABASE_OPTION = `  --database URL      sqlite:PATH or postgres://USER@HOST/DB (default: $GATEHOUSE_DATABASE_URL,
                      else ${DEFAULT_DATABASE_URL}, as 'gatehouse serve')`;

const USERS_HELP = `Usage: gatehouse users <command> [options]

Manages users in the database directly (no server needed; safe next to a running one).

Commands:
  list                       list users (a table, or --json)
  create USERNAME            create a user; invite a GitHub account with --github LOGIN
  set-role USERNAME ROLE     make a user an admin or a user
  disable USERNAME           disable a user and end their sessions at once
  enable USERNAME            enable a disabled user
  delete USERNAME            delete a user with their sessions and tokens (asks, or --yes)

Every command takes --database URL and -h/--help. The last active admin cannot be demoted,
disabled or deleted.`;

const HELP: Record<string, string> = {
  list: `Usage: gatehouse users list [--search TEXT] [--limit N] [--offset N] [--json] [--database URL]

Lists users by username: every user, or one page with --limit/--offset.

Options:
  --search TEXT       only users whose username, name, email or GitHub login contains TEXT
  --limit N           at most N users (1-200); default: all
  --offset N          skip the first N (with --limit)
  --json              print a JSON array of users (the API's shape) instead of a table
${DATABASE_OPTION}
  -h, --help          show this help`,
  create: `Usage: gatehouse users create USERNAME [--role admin|user] [--github LOGIN] [--name NAME]
                              [--email EMAIL] [--password-stdin] [--database URL]

Creates a user. With --github, the GitHub account LOGIN becomes this user at its first GitHub
sign-in (an invitation; needed when sign-up is invite-only). With --password-stdin, the password
is read from stdin (asked twice without echo on a terminal): never give a password as an argument,
it would be kept in shell history and shown by ps.

Options:
  --role ROLE         admin or user (default user)
  --github LOGIN      GitHub login to bind at the first GitHub sign-in
  --name NAME         display name
  --email EMAIL       email address
  --password-stdin    read a password (8-1024 characters) from stdin
${DATABASE_OPTION}
  -h, --help          show this help`,
  "set-role": `Usage: gatehouse users set-role USERNAME ROLE [--database URL]

Sets the role: admin (manages users) or user.

Options:
${DATABASE_OPTION}
  -h, --help          show this help`,
  disable: `Usage: gatehouse users disable USERNAME [--database URL]

Disables a user: they cannot sign in, and their sessions (browsers, terminals) end at once.

Options:
${DATABASE_OPTION}
  -h, --help          show this help`,
  enable: `Usage: gatehouse users enable USERNAME [--database URL]

Enables a disabled user (they sign in again; their old sessions stay ended).

Options:
${DATABASE_OPTION}
  -h, --help          show this help`,
  delete: `Usage: gatehouse users delete USERNAME [--yes] [--database URL]

Deletes a user with their sessions and stored GitHub tokens. Asks you to type the username to
confirm; --yes skips that, and is required when stdin is not a terminal.

Options:
  --yes               do not ask
${DATABASE_OPTION}
  -h, --help          show this help`,
};

const DATABASE = { database: { type: "string" } } as const;

function checkRole(value: string | undefined, what: string): Role | undefined {
  if (value === undefined) return undefined;
  if (value !== "admin" && value !== "user") throw new CliError("usage", `${what} must be admin or user, not '${value}'`);
  return value;
}

function checkCount(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError("usage", `${option} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

function githubCell(user: User): string {
  if (user.github) return user.github.login ?? `#${user.github.id}`;
  return user.invitedGitHubLogin === null ? "-" : `invited: ${user.invitedGitHubLogin}`;
}

function dateCell(date: Date | null): string {
  return date === null ? "never" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...DATABASE, search: { type: "string" }, limit: { type: "string" }, offset: { type: "string" }, json: { type: "boolean" },
  });
  if (values.help) return help("list");
  const limit = checkCount(values.limit, "--limit", 1, 200);
  const offset = checkCount(values.offset, "--offset", 0, 999_999);
  if (offset !== undefined && limit === undefined) throw new CliError("usage", "--offset needs --limit");
  const search = values.search === undefined ? {} : { search: values.search };
  const users = await withUsers(values.database, async (domain) => {
    if (limit !== undefined) return (await domain.list({ ...search, limit, offset: offset ?? 0 })).users;
    // Everyone: the domain pages by at most 200.
    const all: User[] = [];
    for (;;) {
      const page = await domain.list({ ...search, limit: 200, offset: all.length });
      all.push(...page.users);
      if (page.users.length === 0 || all.length >= page.total) return all;
    }
  });
  if (values.json) {
    console.log(JSON.stringify(users.map((u) => userJson(u)), null, 2));
    return 0;
  }
  if (users.length === 0) {
    console.log(values.search === undefined ? "No users." : "No users match.");
    return 0;
  }
  console.log(formatTable(
    ["USERNAME", "ROLE", "STATUS", "GITHUB", "PASSWORD", "LAST SIGN-IN", "NAME"],
    users.map((u) => [u.username, u.role, u.disabled ? "disabled" : "active", githubCell(u), u.hasPassword ? "yes" : "no", dateCell(u.lastSignInAt), u.name ?? ""]),
  ));
  return 0;
}

async function readPassword(): Promise<string> {
  if (!stdinIsTerminal()) {
    const password = await readStdinLine();
    if (password === "") throw new CliError("usage", "--password-stdin: nothing on stdin");
    return password;
  }
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Repeat the password: ");
  if (first !== second) throw new CliError("usage", "the passwords differ");
  return first;
}

async function create(argv: string[]): Promise<number> {
  if (argv.some((a) => a === "--password" || a.startsWith("--password="))) {
    throw new CliError("usage", "a password is never taken as an argument (shell history, ps); use --password-stdin");
  }
  const { values, positionals } = parseCommandArgs(argv, {
    ...DATABASE, role: { type: "string" }, github: { type: "string" }, name: { type: "string" }, email: { type: "string" },
    "password-stdin": { type: "boolean" },
  }, ["USERNAME"]);
  if (values.help) return help("create");
  const role = checkRole(values.role, "--role") ?? "user";
  const password = values["password-stdin"] === true ? await readPassword() : undefined;
  const user = await withUsers(values.database, (domain) => domain.create({
    username: positionals[0] ?? "",
    role,
    ...(values.github !== undefined ? { githubLogin: values.github } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.email !== undefined ? { email: values.email } : {}),
    ...(password !== undefined ? { password } : {}),
  }), process.env, { create: true });
  const how = [
    user.invitedGitHubLogin === null ? undefined : `with GitHub as @${user.invitedGitHubLogin}`,
    user.hasPassword ? "with a password" : undefined,
  ].filter((s) => s !== undefined);
  console.log(`Created ${user.username} (${user.role}); ${how.length === 0 ? "no way to sign in yet (add --github or --password-stdin)" : `signs in ${how.join(" or ")}`}.`);
  return 0;
}

async function setRole(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, DATABASE, ["USERNAME", "ROLE"]);
  if (values.help) return help("set-role");
  const role = checkRole(positionals[1], "ROLE") ?? "user";
  const user = await withUsers(values.database, (domain) => domain.update(positionals[0] ?? "", { role }));
  console.log(`${user.username} is now ${user.role === "admin" ? "an admin" : "a user"}.`);
  return 0;
}

function setDisabled(disabled: boolean): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const { values, positionals } = parseCommandArgs(argv, DATABASE, ["USERNAME"]);
    if (values.help) return help(disabled ? "disable" : "enable");
    const user = await withUsers(values.database, (domain) => domain.update(positionals[0] ?? "", { disabled }));
    console.log(disabled ? `Disabled ${user.username}; their sessions have ended.` : `Enabled ${user.username}.`);
    return 0;
  };
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...DATABASE, yes: { type: "boolean" } }, ["USERNAME"]);
  if (values.help) return help("delete");
  const confirm = values.yes !== true;
  if (confirm && !stdinIsTerminal()) throw new CliError("usage", "refusing to delete without --yes: stdin is not a terminal to confirm on");
  const username = await withUsers(values.database, async (domain) => {
    const user = await domain.getByUsername(positionals[0] ?? "");
    if (confirm) {
      const answer = await promptLine(`Delete ${user.username} with their sessions and GitHub tokens? This cannot be undone.\nType the username to confirm: `);
      if (answer.toLowerCase() !== user.username) throw new CliError("declined", `${user.username} was not deleted`);
    }
    await domain.delete(user.username);
    return user.username;
  });
  console.log(`Deleted ${username}.`);
  return 0;
}

function help(command: string): number {
  console.log(HELP[command] ?? USERS_HELP);
  return 0;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  list, create, "set-role": setRole, disable: setDisabled(true), enable: setDisabled(false), delete: remove,
};

/**
 * `gatehouse users <command> [options]`.
 *
 * @example
 * process.exitCode = await main(["set-role", "alice", "admin", "--database", "sqlite:./gatehouse.db"]);
 */
export function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  return runCommand(name !== undefined && COMMANDS[name] ? `users ${name}` : "users", async () => {
    if (name === "--help" || name === "-h" || name === "help") return help("users");
    if (name === undefined) throw new CliError("usage", "missing command: list, create, set-role, disable, enable or delete");
    const command = COMMANDS[name];
    if (!command) throw new CliError("usage", `unknown command '${name}'`);
    return command(rest);
  }, translateDomainError);
}

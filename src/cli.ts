#!/usr/bin/env node
/**
 * `gatehouse` command line: one sub-command a module under `src/cli/`, loaded on demand so that
 * `gatehouse emulator` does not load the database drivers.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** A sub-command: takes its own arguments, returns the process exit code. */
export type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: { summary: "run the users service", load: async () => (await import("./cli/serve.js")).main },
  emulator: { summary: "run the local GitHub emulator", load: async () => (await import("./cli/emulator.js")).main },
  login: { summary: "sign in to a Gatehouse server from this terminal", load: async () => (await import("./cli/login.js")).login },
  whoami: { summary: "show who this terminal is signed in as", load: async () => (await import("./cli/login.js")).whoami },
  logout: { summary: "sign this terminal out (revokes the session)", load: async () => (await import("./cli/login.js")).logout },
  users: { summary: "manage users in the database directly", load: async () => (await import("./cli/users.js")).main },
  migrate: { summary: "bring the database schema up to date", load: async () => (await import("./cli/migrate.js")).main },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: gatehouse <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'gatehouse <command> --help' for a command's options.`;
}

/** Runs the CLI with the given arguments (without `node` and the script path). */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return 0;
  }
  if (name === undefined) {
    // A usage error like any other: the text to stderr, exit 2.
    console.error(usage());
    return 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`gatehouse: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (err) {
    console.error(`gatehouse ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

// Run when executed directly (also through the npm bin symlink), not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}

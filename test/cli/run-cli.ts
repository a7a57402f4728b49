/**
 * Runs `gatehouse` as a real child process (`node --import tsx src/cli.ts ...`), the way a person
 * runs it: own stdin/stdout/stderr, exit status, signals. Not a test file: imported by them.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

/** How a run ended. */
export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `gatehouse`: its output so far, a way to wait for a line, and its end. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** The environment of the child: the test's, minus anything that would pick another server or database. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["GATEHOUSE_SERVER", "GATEHOUSE_DATABASE_URL", "GATEHOUSE_SECRET"]) if (!(name in extra)) delete env[name];
  return env;
}

/**
 * Starts `gatehouse ARGS` with `env` (see {@link cliEnv}); `input` is written to stdin, then closed.
 *
 * @example
 * const login = startCli(["login", "--server", url], cliEnv({ XDG_CONFIG_HOME: dir }));
 * const [, code] = await login.waitForStdout(/code: (\S+)/);
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv, input = ""): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
  child.stdin.end(input);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      resolve({ status, signal, stdout, stderr });
      for (const w of waiters.splice(0)) w();
    });
  });
  let ended = false;
  void done.then(() => { ended = true; }, () => { ended = true; });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitForStdout(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern);
          if (m) return resolve(m);
          if (ended || child.exitCode !== null) return reject(new Error(`gatehouse ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          waiters.push(check);
        };
        check();
      });
    },
  };
}

/**
 * Runs `gatehouse ARGS` to the end.
 *
 * @example
 * const r = await runCli(["users", "list"], cliEnv({ GATEHOUSE_DATABASE_URL: url }));
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ""): Promise<CliResult> {
  return startCli(args, env, input).done;
}

/**
 * Runs `gatehouse` as a real child process (`node --import tsx src/cli.ts ...`), the way a person
 * runs it: own stdin/stdout/stderr, exit status, signals. Not a test file: imported by them.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess, ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
// By path (what `--import tsx` resolves to), so that a child started in another folder finds it.
const tsx = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** The command line that runs `gatehouse` from src/, for a shell or a spawn. */
export const GATEHOUSE_COMMAND: readonly string[] = [process.execPath, "--import", tsx, cli];

/** How a run ended. */
export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `gatehouse`: its output so far, a way to wait for a line, and its end. */
export interface CliProcess {
  child: ChildProcess & { stdin: Writable };
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first or after `timeoutMs` (20 s). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** The environment of the child: the test's, minus anything that would pick another server or database. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["GATEHOUSE_SERVER", "GATEHOUSE_DATABASE_URL", "GATEHOUSE_SECRET"]) if (!(name in extra)) delete env[name];
  return env;
}

/**
 * Starts `gatehouse ARGS` with `env` (see {@link cliEnv}) in `cwd` (the repository by default);
 * `input` is written to stdin, then closed.
 *
 * @example
 * const login = startCli(["login", "--server", url], cliEnv({ XDG_CONFIG_HOME: dir }));
 * const [, code] = await login.waitForStdout(/code: (\S+)/);
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv, input = "", cwd = root): CliProcess {
  const child = spawn(process.execPath, ["--import", tsx, cli, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end(input);
  return watch(child);
}

const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;

/** Whether `script` (util-linux) is here to give a child a pseudo-terminal. */
export function hasScript(): boolean {
  return spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Starts `gatehouse ARGS` on a pseudo-terminal (util-linux `script`): stdin and stdout are a TTY,
 * what is written to `child.stdin` is typed at it (`\r` is Enter, `\x03` is Ctrl-C).
 *
 * @example
 * const p = startCliOnTerminal(["users", "delete", "bob"], env);
 */
export function startCliOnTerminal(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const command = [...GATEHOUSE_COMMAND, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
  return watch(child);
}

function watch(child: ChildProcessByStdio<Writable, Readable, Readable>): CliProcess {
  let stdout = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
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
    waitForStdout(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        // A test must fail, not hang, when the expected line never comes.
        const timer = setTimeout(() => reject(new Error(`gatehouse did not print ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
        const check = () => {
          const m = stdout.match(pattern);
          if (m) {
            clearTimeout(timer);
            return resolve(m);
          }
          if (ended || child.exitCode !== null) {
            clearTimeout(timer);
            return reject(new Error(`gatehouse ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
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

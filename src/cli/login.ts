/**
 * `gatehouse login | whoami | logout`: terminal sign-in through the server's device login
 * (`/api/device/*`, GitHub's device flow run by the server, RFC 8628), the session kept in the
 * credentials file, and `Authorization: Bearer` for everything after.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parseCommandArgs } from "./args.js";
import { CliError, oneLine, runCommand } from "./cli-error.js";
import { credentialsPath, readCredentials, removeCredentials, saveCredentials } from "./credentials.js";
import type { StoredCredentials, StoredUser } from "./credentials.js";
import { isRecord, numberField, stringField } from "./json-fields.js";
import { openBrowser } from "./open-browser.js";
import { callServer, resolveServer, serverFailure } from "./server-api.js";
import { startSpinner } from "./spinner.js";

const SERVER_OPTION = "  --server URL    the Gatehouse server (default: $GATEHOUSE_SERVER, else http://127.0.0.1:3000)";

const LOGIN_HELP = `Usage: gatehouse login [--server URL] [--no-browser]

Signs this terminal in to a Gatehouse server with GitHub: prints a one-time code and the GitHub
page to enter it on (opened in your browser when there is one), waits for you to approve, and
keeps the session in $XDG_CONFIG_HOME/gatehouse/credentials.json (default ~/.config/gatehouse/,
mode 0600), one entry per server. Ctrl-C cancels (exit status 130).

Options:
${SERVER_OPTION}
  --no-browser    do not try to open the browser
  -h, --help      show this help`;

const WHOAMI_HELP = `Usage: gatehouse whoami [--server URL] [--json]

Shows who this terminal is signed in as on the server (asks the server: a revoked or expired
session is reported as such, with a non-zero exit status).

Options:
${SERVER_OPTION}
  --json          print the server's user record as JSON
  -h, --help      show this help`;

const LOGOUT_HELP = `Usage: gatehouse logout [--server URL]

Signs this terminal out: revokes the session on the server, then forgets it here. When the
server cannot be reached the session is still forgotten here (and you are told it may still be
valid on the server until it expires).

Options:
${SERVER_OPTION}
  -h, --help      show this help`;

/** The user as the API shows it (`userJson`), checked field by field; `undefined` if the shape is wrong. */
function parseUser(value: unknown): StoredUser | undefined {
  const username = stringField(value, "username");
  const role = stringField(value, "role");
  const github = isRecord(value) ? value["github"] : undefined;
  if (username === undefined || role === undefined) return undefined;
  if (github === null) return { username, role, github: null };
  if (!isRecord(github)) return undefined;
  return { username, role, github: stringField(github, "login") ?? null };
}

function describe(user: StoredUser): string {
  return `${oneLine(user.username)}${user.github === null ? "" : ` (GitHub @${oneLine(user.github)})`}`;
}

function isLoopback(server: string): boolean {
  const host = new URL(server).hostname;
  return host === "127.0.0.1" || host === "[::1]" || host === "localhost";
}

/** Aborts on Ctrl-C while `fn` runs; the handler is removed afterwards. */
async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

interface DeviceStart {
  handle: string;
  userCode: string;
  verificationUri: string;
  expiresIn: number;
  interval: number;
}

function parseStart(body: unknown): DeviceStart {
  const handle = stringField(body, "handle");
  const userCode = stringField(body, "user_code");
  const verificationUri = stringField(body, "verification_uri");
  const expiresIn = numberField(body, "expires_in");
  const interval = numberField(body, "interval");
  if (handle === undefined || userCode === undefined || verificationUri === undefined || expiresIn === undefined || interval === undefined) {
    throw new CliError("invalid_response", "the server's device login answer is missing fields; is --server a Gatehouse server?");
  }
  return { handle, userCode, verificationUri, expiresIn, interval };
}

// RFC 8628 §3.5: never poll faster than the interval; a server saying 0 still gets a second.
const MIN_INTERVAL_S = 1;
// A restarting server or a GitHub hiccup (502/503/504) should not end a sign-in the person is in the middle of.
const MAX_TRANSIENT_FAILURES = 3;

function isTransient(err: unknown): boolean {
  return err instanceof CliError && (err.code === "server_unreachable" || (err.code === "server_error" && (err.status ?? 0) >= 502 && (err.status ?? 0) <= 504));
}

/** Polls until the person approves (the session), or a final error. */
async function waitForApproval(server: string, start: DeviceStart, signal: AbortSignal, onRetry: (reason: string) => void): Promise<{ token: string; user: StoredUser }> {
  let interval = Math.max(MIN_INTERVAL_S, start.interval);
  const deadline = Date.now() + start.expiresIn * 1000;
  let failures = 0;
  for (;;) {
    try {
      await sleep(interval * 1000, undefined, { signal });
    } catch (err) {
      throw new CliError("cancelled", "cancelled", { cause: err });
    }
    // The local deadline is the same event as the server's expiry (device code lifetime).
    if (Date.now() >= deadline) {
      throw new CliError("server_error", "the code expired before it was approved; run 'gatehouse login' again", { problemCode: "device_login_expired" });
    }
    try {
      const answer = await callServer(server, "/api/device/poll", { method: "POST", json: { handle: start.handle }, signal });
      if (answer.status !== 200) throw serverFailure(answer);
      failures = 0;
      const status = stringField(answer.body, "status");
      if (status === "pending") {
        // The interval grows after GitHub's slow_down: use the server's value for every later poll.
        interval = Math.max(MIN_INTERVAL_S, numberField(answer.body, "interval") ?? interval);
        continue;
      }
      const token = stringField(answer.body, "token");
      const user = parseUser(isRecord(answer.body) ? answer.body["user"] : undefined);
      if (status !== "complete" || token === undefined || user === undefined) {
        throw new CliError("invalid_response", "the server's device login answer is not one Gatehouse sends");
      }
      return { token, user };
    } catch (err) {
      if (!isTransient(err) || ++failures > MAX_TRANSIENT_FAILURES) throw err;
      onRetry(err instanceof Error ? oneLine(err.message) : "error");
    }
  }
}

/**
 * `gatehouse login [--server URL] [--no-browser]`.
 *
 * @example
 * process.exitCode = await login(["--server", "https://auth.example.com"]);
 */
export function login(argv: string[]): Promise<number> {
  return runCommand("login", async () => {
    const { values } = parseCommandArgs(argv, { server: { type: "string" }, "no-browser": { type: "boolean" } });
    if (values.help) {
      console.log(LOGIN_HELP);
      return 0;
    }
    const server = resolveServer(values.server);
    if (new URL(server).protocol === "http:" && !isLoopback(server)) {
      process.stderr.write(`warning: ${server} is not https: the session token will cross the network unencrypted\n`);
    }
    // Read the credentials file first: one we cannot use must fail before the person approves a
    // code on GitHub, not after (which would also leave the new session valid with no one holding it).
    const previous = await readCredentials(server);
    return interruptible(async (signal) => {
      const answer = await callServer(server, "/api/device/start", { method: "POST", signal });
      // Every Gatehouse server has this route: a 404 means --server names something else (a typo, GitHub itself).
      if (answer.status === 404) throw new CliError("invalid_response", `${server} has no Gatehouse device login (HTTP 404); is --server a Gatehouse server?`);
      if (answer.status !== 200) throw serverFailure(answer);
      const start = parseStart(answer.body);
      const out = process.stdout;
      out.write(`First copy your one-time code: ${oneLine(start.userCode)}\n`);
      out.write(`Then open ${oneLine(start.verificationUri)} and enter it.\n`);
      if (out.isTTY === true && values["no-browser"] !== true && openBrowser(start.verificationUri)) {
        out.write("Opening it in your browser...\n");
      }
      const waiting = "Waiting for you to approve on GitHub (Ctrl-C to cancel)...";
      const spinner = startSpinner(waiting);
      let session;
      try {
        session = await waitForApproval(server, start, signal, (reason) => spinner.update(`${reason}; retrying. ${waiting}`));
      } finally {
        spinner.stop();
      }
      const entry: StoredCredentials = { server, token: session.token, user: session.user, savedAt: new Date().toISOString() };
      try {
        await saveCredentials(entry);
      } catch (err) {
        // A session this terminal cannot keep must not stay valid on the server.
        await callServer(server, "/api/users/logout", { method: "POST", token: session.token }).catch(() => undefined);
        throw err;
      }
      out.write(`Signed in to ${server} as ${describe(session.user)}.\n`);
      // The replaced session would stay valid on the server with no one holding it: end it (best effort).
      if (previous !== undefined && previous.token !== session.token) {
        await callServer(server, "/api/users/logout", { method: "POST", token: previous.token }).catch(() => undefined);
      }
      return 0;
    });
  });
}

async function storedFor(server: string): Promise<StoredCredentials> {
  const creds = await readCredentials(server);
  if (!creds) throw new CliError("not_signed_in", `not signed in to ${server}; run 'gatehouse login --server ${server}'`);
  return creds;
}

/**
 * `gatehouse whoami [--server URL] [--json]`: asks the server who the stored session is.
 *
 * @example
 * process.exitCode = await whoami([]); // prints username, role, GitHub login
 */
export function whoami(argv: string[]): Promise<number> {
  return runCommand("whoami", async () => {
    const { values } = parseCommandArgs(argv, { server: { type: "string" }, json: { type: "boolean" } });
    if (values.help) {
      console.log(WHOAMI_HELP);
      return 0;
    }
    const server = resolveServer(values.server);
    const creds = await storedFor(server);
    const answer = await interruptible((signal) => callServer(server, "/api/users/me", { token: creds.token, signal }));
    if (answer.status === 401) {
      // Name the server: a bare 'gatehouse login' would sign in to the default one, not this.
      throw new CliError("session_ended", `the session on ${server} has ended (signed out, revoked or expired); run 'gatehouse login --server ${server}' again`);
    }
    if (answer.status !== 200) throw serverFailure(answer);
    const record = isRecord(answer.body) ? answer.body["user"] : undefined;
    const user = parseUser(record);
    if (!user) throw new CliError("invalid_response", "the server's answer has no user");
    if (values.json) {
      console.log(JSON.stringify({ server, user: record }, null, 2));
      return 0;
    }
    console.log([
      `username: ${oneLine(user.username)}`,
      `role:     ${oneLine(user.role)}`,
      `github:   ${user.github === null ? "(not linked)" : oneLine(user.github)}`,
      `server:   ${server}`,
    ].join("\n"));
    return 0;
  });
}

/**
 * `gatehouse logout [--server URL]`: revokes the session server-side, then forgets it here.
 *
 * @example
 * process.exitCode = await logout([]);
 */
export function logout(argv: string[]): Promise<number> {
  return runCommand("logout", async () => {
    const { values } = parseCommandArgs(argv, { server: { type: "string" } });
    if (values.help) {
      console.log(LOGOUT_HELP);
      return 0;
    }
    const server = resolveServer(values.server);
    const creds = await storedFor(server);
    let warning: string | undefined;
    try {
      const answer = await interruptible((signal) => callServer(server, "/api/users/logout", { method: "POST", token: creds.token, signal }));
      // 401: the session had already ended there (revoked, expired); forgetting it here is all that is left.
      if (answer.status !== 204 && answer.status !== 200 && answer.status !== 401) {
        warning = `the server could not revoke the session (${oneLine(serverFailure(answer).message)})`;
      }
    } catch (err) {
      if (!(err instanceof CliError) || err.code === "cancelled") throw err;
      warning = oneLine(err.message);
    }
    await removeCredentials(server);
    if (warning !== undefined) {
      process.stderr.write(`warning: ${warning}; it stays valid there until it expires or is revoked from the account page.\n`);
    }
    console.log(`Signed out of ${server} (removed from ${credentialsPath()}).`);
    return 0;
  });
}

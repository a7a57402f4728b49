/**
 * Failures of the command line: a class with a stable `code`, each code mapped to an exit status
 * (2 for usage errors, 130 for Ctrl-C like a shell, 1 otherwise), and the one place that turns a
 * failure into a one-line reason on stderr.
 */

/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  /** Bad arguments: unknown option, missing or extra operand, bad value. Exit status 2. */
  | "usage"
  /** Ctrl-C. Exit status 130 (128 + SIGINT), as shells report it. */
  | "cancelled"
  /** No stored credentials for this server. */
  | "not_signed_in"
  /** The stored session was revoked or expired server-side (401). */
  | "session_ended"
  /** The server could not be reached (refused, DNS, timeout). */
  | "server_unreachable"
  /** The server answered with an error (problem+json); `status` and `problemCode` say which. */
  | "server_error"
  /** The server answered something that is not the API's shape. */
  | "invalid_response"
  /** The credentials file exists but cannot be read or is not ours. */
  | "credentials_unreadable"
  /** The person answered "no" to a confirmation. */
  | "declined"
  /** The users domain refused (no such user, name taken, the last admin...). */
  | "rejected"
  /** The database could not be opened, or the configuration naming it is wrong. */
  | "database_unavailable";

/**
 * A command-line failure whose message is one line, safe to print (never a token or password).
 *
 * @example
 * throw new CliError("usage", "users create needs a USERNAME");
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: CliErrorCode;
  /** For `server_error`: the HTTP status. */
  readonly status: number | undefined;
  /** For `server_error`: the problem's `code` (e.g. `device_login_denied`). */
  readonly problemCode: string | undefined;

  constructor(code: CliErrorCode, message: string, options: { status?: number; problemCode?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.problemCode = options.problemCode;
  }
}

/** The exit status for a failure code. */
function exitStatusFor(code: CliErrorCode): number {
  switch (code) {
    case "usage":
      return 2;
    case "cancelled":
      return 130;
    default:
      return 1;
  }
}

/**
 * The `code` of an error's cause (`ECONNREFUSED`, `SQLITE_CANTOPEN`...): names what failed without
 * the cause's message, which may quote a URL with credentials.
 *
 * @example
 * causeCode(err); // "ECONNREFUSED" | undefined
 */
export function causeCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  return typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
}

/** One line: control characters (a hostile server's message could carry terminal escapes) become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
}

/**
 * Runs a command body and turns a {@link CliError} (or an error `translate` recognises) into its
 * one-line reason on stderr and its exit status. Anything else propagates to the dispatcher.
 *
 * @example
 * export const whoami = (argv: string[]) => runCommand("whoami", async () => { ...; return 0; });
 */
export async function runCommand(
  name: string,
  body: () => Promise<number>,
  translate: (err: unknown) => CliError | undefined = () => undefined,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const failure = err instanceof CliError ? err : translate(err);
    if (!failure) throw err;
    const hint = failure.code === "usage" ? ` (see 'gatehouse ${name} --help')` : "";
    process.stderr.write(`gatehouse ${name}: ${oneLine(failure.message)}${hint}\n`);
    return exitStatusFor(failure.code);
  }
}

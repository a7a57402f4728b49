/**
 * Logging with pino. Request lines carry method, path (never the query string: GitHub's callback
 * puts `code` and `state` there), status and duration. Redaction is the second line of defence:
 * the code never logs secrets on purpose, and these keys are censored if one slips in.
 */
import { randomUUID } from "node:crypto";
import pino from "pino";
import type { DestinationStream, Logger, LoggerOptions } from "pino";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";

const SECRET_KEYS = [
  "token", "accessToken", "access_token", "refreshToken", "refresh_token", "code", "code_verifier", "codeVerifier",
  "verifier", "password", "current_password", "new_password", "secret", "clientSecret", "client_secret", "binding",
  "handle", "deviceCode", "device_code", "authorization", "cookie", "set-cookie",
];

const SECRETS = new Set(SECRET_KEYS);
const CENSOR = "[redacted]";
/** How deep below a line's own keys secrets are censored: `token`, `*.token` and `*.*.token`. */
const DEPTH = 2;

/**
 * `value` with every secret key down to `depth` levels below it replaced by the censor: a copy
 * when there is one (the caller's object is never changed), `value` itself otherwise. Only what
 * JSON writes as its own keys is entered (plain objects, arrays, errors): a value with `toJSON`
 * (a Date, a URL, a Buffer) is written as that says.
 */
function censored(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null || "toJSON" in value) return value;
  const entries = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(entries)) {
    const v = entries[key];
    const next = SECRETS.has(key) ? CENSOR : depth > 0 ? censored(v, depth - 1) : v;
    if (next === v) continue;
    copy ??= Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...entries };
    copy[key] = next;
  }
  return copy ?? value;
}

/** An error as pino writes it (type, message, stack, its own keys), before it is censored. */
const errorJson = (err: unknown): unknown => (err instanceof Error ? pino.stdSerializers.err(err) : err);

/**
 * pino options with Gatehouse's redaction. It is a walk of each line's object (and of a child's
 * bindings) rather than pino's `redact` paths: those cost 30–40 µs a line with the wildcards
 * (`*.token`) against about 1 µs for the walk, and censor the same keys at the same depths.
 */
function loggerOptions(level = "info"): LoggerOptions {
  return {
    level,
    formatters: {
      log: (obj) => censored(obj.err instanceof Error ? { ...obj, err: errorJson(obj.err) } : obj, DEPTH) as Record<string, unknown>,
      bindings: (bindings) => censored(bindings, DEPTH) as Record<string, unknown>,
    },
    // Errors are written as JSON before the walk above, so what reaches the serializer is one already.
    serializers: { err: errorJson },
  };
}

/**
 * A logger with redaction. Pass a destination to capture lines (tests do).
 *
 * @example
 * const logger = createLogger({ level: "info" });
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  // Standard output written synchronously, as `console.log` writes to a file or a pipe: pino's
  // default hands each line to the thread pool instead, which costs 27–40 µs of CPU a line when
  // lines come one at a time (a request now and then) against 6–8 µs written here, and holds
  // lines in memory until the pool has written them.
  const logger = pino(loggerOptions(options.level), options.destination ?? pino.destination({ dest: 1, sync: true }));
  // pino applies `formatters.bindings` to the root's bindings only; a child's (and its children's,
  // which inherit this) are censored here.
  const child = logger.child;
  const censoringChild = function (this: Logger, ...[bindings, childOptions]: Parameters<Logger["child"]>): unknown {
    return Reflect.apply(child, this, [censored(bindings, DEPTH), childOptions]);
  };
  logger.child = censoringChild as Logger["child"];
  return logger;
}

/**
 * Gives each request an id and logs one line when it ends. It builds nothing else per request:
 * a route that logs asks {@link requestLog} for a logger then.
 */
export function requestLogger(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    const reqId = randomUUID();
    c.set("reqId", reqId);
    c.set("logger", logger);
    await next();
    if (!logger.isLevelEnabled("info")) return;
    const userId = c.get("auth")?.user.id;
    logger.info(
      { reqId, ...(userId === undefined ? {} : { userId }), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) },
      "request",
    );
  };
}

/**
 * The logger of this request: the service's, bound to the request id and the signed-in user.
 * `undefined` before the request logger ran (an error thrown ahead of it).
 *
 * @example
 * requestLog(c)?.warn({ errorCode: err.code }, "GitHub sign-in failed");
 */
export function requestLog(c: Context<AppEnv>): Logger | undefined {
  const logger = c.get("logger");
  if (logger === undefined) return undefined;
  const userId = c.get("auth")?.user.id;
  return logger.child(userId === undefined ? { reqId: c.get("reqId") } : { reqId: c.get("reqId"), userId });
}

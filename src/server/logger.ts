/**
 * Logging with pino. Request lines carry method, path (never the query string: GitHub's callback
 * puts `code` and `state` there), status and duration. Redaction is the second line of defence:
 * the code never logs secrets on purpose, and these paths are censored if one slips in.
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

/** pino options with Gatehouse's redaction. */
function loggerOptions(level = "info"): LoggerOptions {
  return {
    level,
    redact: {
      paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.*.${k}`)].map((p) =>
        p.includes("-") ? p.replace(/(^|\.)([^.]*-[^.]*)$/, '$1["$2"]') : p,
      ),
      censor: "[redacted]",
    },
  };
}

/**
 * A logger with redaction. Pass a destination to capture lines (tests do).
 *
 * @example
 * const logger = createLogger({ level: "info" });
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return options.destination ? pino(loggerOptions(options.level), options.destination) : pino(loggerOptions(options.level));
}

/**
 * Gives each request an id and logs one line when it ends. It builds nothing else per request:
 * a route that logs asks {@link requestLog} for a logger then. The line's keys are fixed (method,
 * path, status, ms, reqId, userId), none is a secret and redaction matches keys, so it is written
 * without the redaction pass; every other line keeps it.
 */
export function requestLogger(logger: Logger): MiddlewareHandler<AppEnv> {
  const lines = logger.child({}, { redact: [] });
  return async (c, next) => {
    const start = performance.now();
    const reqId = randomUUID();
    c.set("reqId", reqId);
    c.set("logger", logger);
    await next();
    if (!lines.isLevelEnabled("info")) return;
    const userId = c.get("auth")?.user.id;
    lines.info(
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

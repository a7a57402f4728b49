/**
 * Logging with pino. Request lines carry method, path (never the query string: GitHub's callback
 * puts `code` and `state` there), status and duration. Redaction is the second line of defence:
 * the code never logs secrets on purpose, and these paths are censored if one slips in.
 */
import { randomUUID } from "node:crypto";
import pino from "pino";
import type { DestinationStream, Logger, LoggerOptions } from "pino";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
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

/** Gives each request a child logger with an id, and logs one line when it ends. */
export function requestLogger(logger: Logger): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const start = performance.now();
    c.set("log", logger.child({ reqId: randomUUID() }));
    await next();
    c.get("log").info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) },
      "request",
    );
  });
}

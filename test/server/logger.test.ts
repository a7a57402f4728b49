/**
 * The logger's redaction, the second line of defence behind "no secret is logged on purpose": a
 * secret key is censored on the line itself, one and two levels below it (`token`, `*.token`,
 * `*.*.token`), in a child's bindings and on an error's own keys; everything else is written as
 * pino writes it, and the object logged is never changed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLogger } from "../../src/server/logger.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines, last: () => lines.at(-1) ?? {} };
}

const SECRET_KEYS = [
  "token", "accessToken", "access_token", "refreshToken", "refresh_token", "code", "code_verifier", "codeVerifier",
  "verifier", "password", "current_password", "new_password", "secret", "clientSecret", "client_secret", "binding",
  "handle", "deviceCode", "device_code", "authorization", "cookie", "set-cookie",
];

test("every secret key is censored on the line, one level and two levels below it", () => {
  const { logger, last } = capture();
  for (const key of SECRET_KEYS) {
    logger.info({ [key]: "s3cret", a: { [key]: "s3cret", keep: 1 }, b: { c: { [key]: "s3cret", keep: 2 } }, list: [{ [key]: "s3cret" }] }, "line");
    const line = last();
    assert.equal(line[key], "[redacted]", key);
    assert.deepEqual(line.a, { [key]: "[redacted]", keep: 1 }, key);
    assert.deepEqual(line.b, { c: { [key]: "[redacted]", keep: 2 } }, key);
    assert.deepEqual(line.list, [{ [key]: "[redacted]" }], key);
    assert.doesNotMatch(JSON.stringify(line), /s3cret/, key);
  }
});

test("a secret key holding an object is censored whole", () => {
  const { logger, last } = capture();
  logger.warn({ headers: { cookie: { gatehouse_session: "s3cret" }, accept: "text/html" } }, "line");
  assert.deepEqual(last().headers, { cookie: "[redacted]", accept: "text/html" });
});

test("the object logged is not changed, and one without secrets is written as it is", () => {
  const { logger, last } = capture();
  const logged = { userId: 7, nested: { token: "s3cret", at: new Date(0) }, when: new Date(0), path: "/api/users/me" };
  logger.info(logged, "line");
  assert.equal(logged.nested.token, "s3cret");
  assert.deepEqual(last().nested, { token: "[redacted]", at: "1970-01-01T00:00:00.000Z" });
  assert.equal(last().when, "1970-01-01T00:00:00.000Z");
  logger.info({ userId: 7, method: "GET", path: "/api/users/me", status: 200, ms: 1 }, "request");
  assert.deepEqual(
    { userId: last().userId, method: last().method, path: last().path, status: last().status, ms: last().ms, msg: last().msg },
    { userId: 7, method: "GET", path: "/api/users/me", status: 200, ms: 1, msg: "request" },
  );
});

test("a child's bindings are censored too", () => {
  const { logger, last } = capture();
  logger.child({ reqId: "r1", session: { token: "s3cret" } }).info({ userId: 1 }, "line");
  assert.equal(last().reqId, "r1");
  assert.deepEqual(last().session, { token: "[redacted]" });
});

test("an error keeps its type, message and stack, and its own secret keys are censored", () => {
  const { logger, last } = capture();
  class ExchangeError extends Error {
    code = "s3cret-code";
    status = 400;
  }
  const err = Object.assign(new ExchangeError("exchange failed"), { details: { access_token: "s3cret" } });
  logger.warn({ err }, "failed");
  const written = last().err as Record<string, unknown>;
  assert.equal(written.type, "ExchangeError");
  assert.equal(written.message, "exchange failed");
  assert.match(String(written.stack), /exchange failed/);
  assert.equal(written.status, 400);
  assert.equal(written.code, "[redacted]");
  assert.deepEqual(written.details, { access_token: "[redacted]" });
  assert.equal(err.code, "s3cret-code");
  logger.error({ err: new Error("plain") }, "plain");
  assert.equal((last().err as Record<string, unknown>).type, "Error");
});

test("the default logger has written each line to standard output when the call returns: a killed process loses none", () => {
  const logger = fileURLToPath(new URL("../../src/server/logger.ts", import.meta.url));
  const code = `import { createLogger } from ${JSON.stringify(logger)};
const log = createLogger();
for (let i = 0; i < 3; i++) log.info({ userId: i }, "before the crash");
process.kill(process.pid, "SIGKILL");`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 30_000 });
  assert.equal(child.signal, "SIGKILL");
  const lines = child.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => [l.msg, l.userId]), [["before the crash", 0], ["before the crash", 1], ["before the crash", 2]]);
});

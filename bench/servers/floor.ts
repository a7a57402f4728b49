/**
 * The floor of a session check: what `GET /api/users/me` cannot avoid, on bare node:http with no
 * framework, middleware or log line. The session cookie is read, its token hashed (SHA-256), the
 * service's own prepared session lookup (the session, its user and the user's identities) runs on
 * the same SQLite file the Gatehouse server of the run writes, and the same JSON body is written.
 * Its distance from the bare server is the cost of the check itself; Gatehouse's distance from it
 * is the service's own.
 * BENCH_FLOOR_MEMORY=1: the rows are read once and kept in memory (what a session cache would
 * save, revocation aside).
 */
import Database from "better-sqlite3";
import { sqliteSessionLookup } from "../../src/store/session-lookup.js";
import type { SessionLookup } from "../../src/store/session-lookup.js";
import { hashToken } from "../../src/users/secrets.js";
import { identitiesOf } from "../../src/users/sign-in-methods.js";
import { toSessionInfo, toUser } from "../../src/users/user-record.js";
import { sessionJson, userJson } from "../../src/wire/user-json.js";
import { env, serve } from "./child.mjs";

const COOKIE = "gatehouse_session=";
const path = env.database.replace(/^sqlite:/, "");
const file = new Database(path);
file.pragma("busy_timeout = 5000");
type Found = NonNullable<Awaited<ReturnType<SessionLookup>>>;
const sqlite = sqliteSessionLookup(file);
let lookup = async (hash: string): Promise<Found | undefined> => sqlite(hash, { now: Date.now(), idleCutoff: 0 }) ?? undefined;
if (process.env.BENCH_FLOOR_MEMORY === "1") {
  const sessions = new Map<string, Found | undefined>();
  const read = lookup;
  lookup = async (hash) => (sessions.has(hash) ? sessions.get(hash) : sessions.set(hash, await read(hash)).get(hash));
}

function token(cookie: string | undefined): string | undefined {
  const at = cookie?.indexOf(COOKIE) ?? -1;
  if (cookie === undefined || at < 0) return undefined;
  const end = cookie.indexOf(";", at);
  return cookie.slice(at + COOKIE.length, end < 0 ? undefined : end);
}

await serve(() => async (req, res) => {
  const t = token(req.headers.cookie);
  const found = t === undefined ? undefined : await lookup(hashToken(t));
  if (!found) {
    res.writeHead(401).end();
    return;
  }
  const user = toUser(found.user, []);
  const body = JSON.stringify({ user: userJson(user, identitiesOf(user, found.identities)), session: sessionJson(toSessionInfo(found.session, found.session.id)) });
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(body);
});

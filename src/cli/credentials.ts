/**
 * The terminal's stored sessions: `$XDG_CONFIG_HOME/gatehouse/credentials.json` (else
 * `~/.config/gatehouse/`), one entry per server so several can be remembered. The file holds bearer
 * tokens, so: folder 0700, file 0600, written whole to a temp file and renamed over the old one
 * (a crash never leaves half a file), and read-modify-write under a lock file so two terminals
 * signing in at once do not lose each other's entry.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { homedir, hostname } from "node:os";
import { isAbsolute, join } from "node:path";
import { CliError } from "./cli-error.js";
import { isRecord } from "./json-fields.js";

/** Who a stored session belongs to (a snapshot taken at sign-in, for display). */
export interface StoredUser {
  username: string;
  role: string;
  github: string | null;
}

/** One remembered sign-in. */
export interface StoredCredentials {
  /** The normalised server URL; also the entry's key. */
  server: string;
  /** The bearer token. Never printed. */
  token: string;
  user: StoredUser;
  /** ISO 8601 instant of the sign-in. */
  savedAt: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the credentials file lives. The XDG spec ignores a relative `XDG_CONFIG_HOME`; so do we.
 *
 * @example
 * credentialsPath(process.env); // "/home/me/.config/gatehouse/credentials.json"
 */
export function credentialsPath(env: Env = process.env): string {
  const xdg = env["XDG_CONFIG_HOME"];
  const base = xdg !== undefined && xdg !== "" && isAbsolute(xdg) ? xdg : join(homedir(), ".config");
  return join(base, "gatehouse", "credentials.json");
}

type FileShape = { version: 1; servers: Record<string, StoredCredentials> };

/** Keys come from a file: a null prototype keeps a `__proto__` key an ordinary entry. */
function emptyServers(): Record<string, StoredCredentials> {
  return Object.create(null) as Record<string, StoredCredentials>;
}

function parseEntry(key: string, value: unknown): StoredCredentials | undefined {
  if (!isRecord(value) || !isRecord(value["user"])) return undefined;
  const { server, token, saved_at: savedAt } = value;
  const { username, role, github } = value["user"];
  if (server !== key || typeof token !== "string" || token === "" || typeof savedAt !== "string") return undefined;
  if (typeof username !== "string" || typeof role !== "string" || (github !== null && typeof github !== "string")) return undefined;
  return { server, token, savedAt, user: { username, role, github } };
}

/** The file's content checked field by field; a file we did not write is an error, never overwritten. */
function parseFile(text: string, path: string): FileShape {
  const unreadable = (cause?: unknown) =>
    new CliError("credentials_unreadable", `${path} is not a Gatehouse credentials file; move it away and sign in again`, cause === undefined ? {} : { cause });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw unreadable(err);
  }
  if (!isRecord(value) || value["version"] !== 1 || !isRecord(value["servers"])) throw unreadable();
  const servers = emptyServers();
  for (const [key, entry] of Object.entries(value["servers"])) {
    const parsed = parseEntry(key, entry);
    if (!parsed) throw unreadable();
    servers[key] = parsed;
  }
  return { version: 1, servers };
}

function serialise(file: FileShape): string {
  const servers = Object.fromEntries(Object.entries(file.servers).map(([key, c]) => [
    key, { server: c.server, token: c.token, user: c.user, saved_at: c.savedAt },
  ]));
  return `${JSON.stringify({ version: 1, servers }, null, 2)}\n`;
}

function errorCode(err: unknown): string | undefined {
  return isRecord(err) && typeof err["code"] === "string" ? err["code"] : undefined;
}

async function load(path: string): Promise<FileShape> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (errorCode(err) === "ENOENT") return { version: 1, servers: emptyServers() };
    throw new CliError("credentials_unreadable", `cannot read ${path} (${errorCode(err) ?? "error"})`, { cause: err });
  }
  return parseFile(text, path);
}

/** Writes the whole file: temp file (0600 from its creation, no window where it is readable) + fsync + rename. */
async function store(path: string, file: FileShape): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(serialise(file), "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

const LOCK_WAIT_MS = 5_000;
const LOCK_STALE_MS = 30_000;

/** What a lock file says about its holder: this process's id and a token of this acquisition. */
interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

async function readOwner(lock: string): Promise<{ owner: LockOwner | undefined; ageMs: number } | undefined> {
  let text: string;
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(lock)).mtimeMs;
    text = await readFile(lock, "utf8");
  } catch (err) {
    if (errorCode(err) === "ENOENT") return undefined;
    throw err;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value) && typeof value["pid"] === "number" && typeof value["host"] === "string" && typeof value["token"] === "string") {
      return { owner: { pid: value["pid"], host: value["host"], token: value["token"] }, ageMs };
    }
  } catch {
    // Empty (its holder is between creating and writing it) or an older format: judged by age.
  }
  return { owner: undefined, ageMs };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === "EPERM";
  }
}

/** A lock whose holder died (its process is gone on this host) or that is older than 30 s. */
function stale(found: { owner: LockOwner | undefined; ageMs: number }): boolean {
  if (found.owner && found.owner.host === hostname() && !alive(found.owner.pid)) return true;
  return found.ageMs > LOCK_STALE_MS;
}

/** Creates `path` only if it does not exist, with `content`; false when it exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (err) {
    if (errorCode(err) === "EEXIST") return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Removes a stale lock, safely against other processes doing the same: only the holder of
 * `path.lock.takeover` may remove the lock, and it checks again, holding it, that the lock is the
 * stale one it saw (removing and re-creating is otherwise a race in which two writers each believe
 * they hold the lock, and one's entry is lost).
 */
async function takeOverStale(lock: string, seen: LockOwner | undefined): Promise<void> {
  const takeover = `${lock}.takeover`;
  const me = JSON.stringify({ pid: process.pid, host: hostname(), token: randomBytes(8).toString("hex") });
  if (!(await createExclusive(takeover, me))) {
    // A takeover left behind by a crash inside these few lines is itself stale after a while.
    const other = await readOwner(takeover);
    if (other && stale(other)) await rm(takeover, { force: true });
    return;
  }
  try {
    const now = await readOwner(lock);
    if (now && stale(now) && now.owner?.token === seen?.token) await rm(lock, { force: true });
  } finally {
    await rm(takeover, { force: true });
  }
}

/**
 * Runs `fn` holding `path.lock` (O_EXCL create, holding this process's id); a lock whose process
 * has died, or older than 30 s, is a crashed writer's and is taken over (see {@link takeOverStale}).
 */
async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(12).toString("hex") };
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!(await createExclusive(lock, JSON.stringify(owner)))) {
    const found = await readOwner(lock);
    if (found && stale(found)) {
      await takeOverStale(lock, found.owner);
      continue;
    }
    if (Date.now() > deadline) throw new CliError("credentials_unreadable", `${lock} is held by another gatehouse process`);
    await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 25));
  }
  try {
    return await fn();
  } finally {
    // Only our own lock: never one another writer took over after deciding ours was stale.
    const found = await readOwner(lock);
    if (found?.owner?.token === owner.token) await rm(lock, { force: true });
  }
}

async function ensureFolder(path: string): Promise<void> {
  const dir = join(path, "..");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // An existing folder may have been created wider (umask, by hand): it holds tokens, tighten it.
  await chmod(dir, 0o700).catch(() => undefined);
}

/**
 * The stored sign-in for `server`, or `undefined`.
 *
 * @example
 * const creds = await readCredentials("http://127.0.0.1:3000");
 */
export async function readCredentials(server: string, path: string = credentialsPath()): Promise<StoredCredentials | undefined> {
  return (await load(path)).servers[server];
}

/**
 * Remembers a sign-in (replacing the one for the same server), keeping the other servers' entries.
 *
 * @example
 * await saveCredentials({ server, token, user: { username: "alice", role: "user", github: "alice" }, savedAt: new Date().toISOString() });
 */
export async function saveCredentials(entry: StoredCredentials, path: string = credentialsPath()): Promise<void> {
  await ensureFolder(path);
  await withLock(path, async () => {
    const file = await load(path);
    file.servers[entry.server] = entry;
    await store(path, file);
  });
}

/**
 * Forgets the sign-in for `server`; `false` when there was none. Removes the file when it is empty.
 *
 * @example
 * if (!(await removeCredentials(server))) console.log("was not signed in");
 */
export async function removeCredentials(server: string, path: string = credentialsPath()): Promise<boolean> {
  const file = await load(path);
  if (file.servers[server] === undefined) return false;
  return withLock(path, async () => {
    const current = await load(path);
    if (current.servers[server] === undefined) return false;
    delete current.servers[server];
    if (Object.keys(current.servers).length === 0) await rm(path, { force: true });
    else await store(path, current);
    return true;
  });
}

/**
 * Test harness: the service on a real HTTP server (port 0, 127.0.0.1) against the GitHub emulator
 * as a real server, a cookie-jar browser, and captured log lines.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { startGitHubEmulator } from "../../src/emulator/index.js";
import type { EmulatorAppSeed, EmulatorUserSeed, GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { createGatehouse, createLogger, createNodeHandler } from "../../src/index.js";
import type { Gatehouse, GatehouseConfig } from "../../src/index.js";
import { CookieJar } from "../support/cookie-jar.js";
import { TEST_SCRYPT } from "../support/scrypt.js";

export const CLIENT_ID = "Ov23liServiceTest";
export const CLIENT_SECRET = `svc-secret-${randomBytes(8).toString("hex")}`;

export const USERS: EmulatorUserSeed[] = [
  { login: "alice", id: 1001, name: "Alice", emails: [{ email: "alice@example.com", primary: true, verified: true, visibility: "public" }],
    orgs: [{ login: "acme", role: "member", state: "active" }], teams: [{ org: "acme", slug: "devs" }] },
  { login: "bob", id: 1002, name: "Bob", emails: [{ email: "bob@example.com", primary: true, verified: true, visibility: "private" }],
    orgs: [{ login: "acme", role: "member", state: "pending" }] },
  { login: "carol", id: 1003, name: "Carol", emails: [{ email: "carol@example.com", primary: true, verified: true, visibility: "private" }],
    orgs: [{ login: "acme", role: "member", state: "active" }] },
  // No verified primary email: GitHub answers the code exchange with unverified_user_email.
  { login: "newbie", id: 1004, name: null, emails: [{ email: "newbie@example.com", primary: true, verified: false, visibility: "private" }] },
];

/** The service's configuration beyond what the harness sets. */
export type StackConfig = Partial<Omit<GatehouseConfig, "publicUrl" | "secret" | "github" | "database">>;

/** What is known before the service is created: its URL (for providers' redirect URIs) and the emulator. */
export interface StackSite {
  url: string;
  gh: GitHubEmulatorHandle;
}

export interface StackOptions {
  database: string;
  /** Or a function of the service's URL and the emulator (e.g. providers whose redirect URI is the service's). */
  config?: StackConfig | ((site: StackSite) => StackConfig | Promise<StackConfig>);
  /** The emulator's app; its callback URLs may be a function of the service's URL. */
  app?: Partial<Omit<EmulatorAppSeed, "callbackUrls">> & { callbackUrls?: string[] | ((url: string) => string[]) };
  users?: EmulatorUserSeed[];
  emulatorNow?: () => number;
  deviceInterval?: number;
  timeoutMs?: number;
  /** Wraps the service's fetch to GitHub (a spy that still calls the real emulator). */
  githubFetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export interface Stack {
  url: string;
  gh: GitHubEmulatorHandle;
  gatehouse: Gatehouse;
  /** Every log line the service wrote. */
  logs: string[];
  browser(): Browser;
  close(): Promise<void>;
}

export { TEST_SCRYPT };

export async function startStack(options: StackOptions): Promise<Stack> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    if (handler) void handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { callbackUrls, ...app } = options.app ?? {};
  const gh = await startGitHubEmulator({
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, kind: "oauth-app", deviceFlow: true, ...app,
      callbackUrls: typeof callbackUrls === "function" ? callbackUrls(url) : callbackUrls ?? [`${url}/auth/github/callback`] }],
    users: options.users ?? USERS,
    ...(options.emulatorNow ? { now: options.emulatorNow } : {}),
    ...(options.deviceInterval !== undefined ? { deviceInterval: options.deviceInterval } : {}),
  });
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
  const config = typeof options.config === "function" ? await options.config({ url, gh }) : options.config;
  const gatehouse = await createGatehouse({
    publicUrl: url,
    database: options.database,
    secret: randomBytes(32),
    github: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: gh.url, apiUrl: gh.url, timeoutMs: options.timeoutMs ?? 5000,
      ...(options.githubFetch ? { fetch: options.githubFetch } : {}) },
    logger,
    passwordParams: TEST_SCRYPT,
    // test/server/compat-security.test.ts reruns security suites with the codx wire format on.
    ...(process.env["GATEHOUSE_TEST_COMPAT"] === "codx" ? { compat: "codx" as const } : {}),
    ...config,
  });
  handler = createNodeHandler(gatehouse.fetch);
  return {
    url, gh, gatehouse, logs,
    browser: () => new Browser(url),
    async close() {
      await gatehouse.close();
      await gh.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A browser: a cookie jar, no automatic redirects, and an Origin header on unsafe methods. */
export class Browser {
  readonly cookies = new CookieJar();
  /** Every URL this browser was sent to (Location headers). */
  readonly visited: string[] = [];

  constructor(readonly origin: string) {}

  async fetch(pathOrUrl: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const url = new URL(pathOrUrl, this.origin);
    const headers = new Headers(init.headers);
    const sameSite = url.origin === this.origin;
    const cookie = this.cookies.header();
    if (sameSite && cookie !== undefined && !headers.has("cookie")) headers.set("cookie", cookie);
    const method = init.method ?? "GET";
    if (!["GET", "HEAD"].includes(method) && !headers.has("origin")) headers.set("origin", this.origin);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await fetch(url, { ...init, method, headers, body: body ?? null, redirect: "manual" });
    if (sameSite) this.cookies.store(res);
    const location = res.headers.get("location");
    if (location) this.visited.push(new URL(location, url).toString());
    return res;
  }
}

/** `GET /api/users/me` in `browser`, which must be signed in: the user. */
export async function signedInUser<U>(browser: Browser): Promise<U> {
  const res = await browser.fetch("/api/users/me");
  if (res.status !== 200) throw new Error(`GET /api/users/me answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { user: U }).user;
}

/** Whether the stacks of this process speak the codx wire format (see test/server/compat-security.test.ts). */
export const codxWire = process.env["GATEHOUSE_TEST_COMPAT"] === "codx";

/** A sign-in answer as `{ user, token }`, from Gatehouse's own shape or codx's flat user with its token. */
export function signInParts<U = Record<string, unknown>>(body: unknown): { user: U; token: string } {
  const b = body as Record<string, unknown>;
  if (codxWire && !("user" in b)) return { user: b as U, token: String(b["token"]) };
  return { user: b["user"] as U, token: String(b["token"]) };
}

/** The browser flow up to GitHub's redirect back: returns the callback URL GitHub sent the browser to. */
export async function authorizeAtGitHub(stack: Stack, browser: Browser, login: string, start = "/auth/github"): Promise<URL> {
  const res = await browser.fetch(start);
  if (res.status !== 302) throw new Error(`expected 302 from ${start}, got ${res.status}: ${await res.text()}`);
  return approve(stack, new URL(res.headers.get("location") ?? ""), login);
}

/** Approves an authorization URL at the emulator as `login`; returns the callback URL with code and state. */
export async function approve(stack: Stack, authorizeUrl: URL, login: string): Promise<URL> {
  stack.gh.setAutoApprove(login);
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`emulator did not redirect: ${res.status} ${await res.text()}`);
  return new URL(location);
}

/** The whole browser flow; returns the final response of the callback. */
export async function signInWithGitHub(stack: Stack, browser: Browser, login: string, returnTo?: string): Promise<Response> {
  const start = returnTo === undefined ? "/auth/github" : `/auth/github?return_to=${encodeURIComponent(returnTo)}`;
  const callback = await authorizeAtGitHub(stack, browser, login, start);
  return browser.fetch(callback.toString());
}

/** Counts rows of the pending OAuth transactions by purging them all (test databases are throwaway). */
export async function countAndClearTransactions(gatehouse: Gatehouse): Promise<number> {
  return gatehouse.store.oauthTransactions.purgeExpired(Number.MAX_SAFE_INTEGER);
}

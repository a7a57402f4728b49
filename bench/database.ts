/** The database-backed hot paths of `npm run bench`: session check and GitHub sign-in. */
import { signInWithGitHub, startStack } from "../test/server/harness.js";
import type { Stack } from "../test/server/harness.js";
import type { Store } from "../src/store/index.js";
import { benchAuthenticate } from "./authenticate.js";
import { measure, measureConcurrent, type Figures } from "./measure.js";

/** A service on one database with a signed-in user, to measure (several times, for the scale benchmark). */
export interface BenchTarget {
  stack: Stack;
  /** The signed-in user's session token. */
  token: string;
  close(): Promise<void>;
}

/** Starts the service on `database` (`prepare` runs on the opened store first: the scale benchmark fills it there) and signs in. */
export async function openBenchDatabase(database: string, prepare?: (store: Store) => Promise<void>): Promise<BenchTarget> {
  const stack = await startStack({ database, users: [
    { login: "octocat", id: 583231, name: "The Octocat", emails: [{ email: "octocat@github.com", primary: true, verified: true, visibility: "public" }] },
  ] });
  try {
    if (prepare) await prepare(stack.gatehouse.store);
    // One signed-in user; its session token is what the checks present.
    const browser = stack.browser();
    const done = await signInWithGitHub(stack, browser, "octocat");
    if (done.status !== 302) throw new Error(`sign-in failed: ${done.status}`);
    const me = await browser.fetch("/api/users/me");
    if (me.status !== 200) throw new Error(`/api/users/me: ${me.status}`);
    const cookie = browser.cookies.get("gatehouse_session");
    if (!cookie) throw new Error("no session cookie");
    return { stack, token: decodeURIComponent(cookie), close: () => stack.close() };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

/**
 * The session check (in-process and over HTTP) and the whole GitHub sign-in on one database.
 * `prepare` runs on the opened store first (the scale benchmark fills it there).
 */
export async function benchDatabase(label: string, database: string, N: (n: number) => number, prepare?: (store: Store) => Promise<void>): Promise<Figures[]> {
  const target = await openBenchDatabase(database, prepare);
  try {
    return await measureDatabase(label, target, N);
  } finally {
    await target.close();
  }
}

/** One round of the figures of {@link benchDatabase} on an open target. */
export async function measureDatabase(label: string, { stack, token }: BenchTarget, N: (n: number) => number): Promise<Figures[]> {
  const rows: Figures[] = [];
  rows.push(await measure(`${label}: session check, users.authenticate`, N(20000), async () => {
    if (!(await stack.gatehouse.users.authenticate(token))) throw new Error("not authenticated");
  }));
  rows.push(...(await benchAuthenticate(label, stack, token, N(20000))));
  const meUrl = `${stack.url}/api/users/me`;
  const headers = { authorization: `Bearer ${token}` };
  rows.push(await measure(`${label}: GET /api/users/me in-process (fetch handler)`, N(10000), async () => {
    const res = await stack.gatehouse.fetch(new Request(meUrl, { headers }));
    if (res.status !== 200) throw new Error(String(res.status));
    await res.arrayBuffer();
  }));
  rows.push(await measureConcurrent(`${label}: GET /api/users/me over HTTP`, N(10000), 16, async () => {
    const res = await fetch(meUrl, { headers });
    if (res.status !== 200) throw new Error(String(res.status));
    await res.arrayBuffer();
  }));

  stack.gh.clearRequests();
  const signIns = N(300);
  const row = await measure(`${label}: GitHub sign-in, whole browser flow`, signIns, async () => {
    const b = stack.browser();
    const res = await signInWithGitHub(stack, b, "octocat");
    if (res.status !== 302 || !b.cookies.has("gatehouse_session")) throw new Error(`sign-in failed: ${res.status}`);
  }, 0);
  const calls = stack.gh.requests().filter((r) => r.route !== null && !r.route.startsWith("GET /login/oauth/authorize"));
  row.note = `${(calls.length / signIns).toFixed(1)} server-to-GitHub requests per sign-in (${[...new Set(calls.map((r) => r.route))].join(", ")})`;
  rows.push(row);
  return rows;
}

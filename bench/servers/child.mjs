// The side of a benchmarked server process that talks to bench/peers.ts over IPC: it announces its
// URL once listening and answers "usage" with its own CPU time and peak RSS, so the figures are the
// server's alone (the load generator and the fake GitHub run in other processes).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";

/**
 * Listens on 127.0.0.1 (any free port), builds the request listener for that URL (a server's
 * public URL names its port), then tells the parent the URL.
 */
export async function serve(makeListener) {
  let listener;
  const server = createServer((req, res) => listener(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  listener = await makeListener(url);
  process.send?.({ type: "ready", url });
}

process.on("message", (msg) => {
  if (msg === "usage") {
    const cpu = process.cpuUsage();
    process.send?.({ type: "usage", cpuMicros: cpu.user + cpu.system, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  }
});
process.on("disconnect", () => process.exit(0));

/** The fake GitHub and the OAuth app, from the parent. */
export const env = {
  github: process.env.BENCH_GITHUB_URL ?? "",
  clientId: process.env.BENCH_CLIENT_ID ?? "",
  clientSecret: process.env.BENCH_CLIENT_SECRET ?? "",
  database: process.env.BENCH_DATABASE ?? "",
};

/** A cookie's value from a Node request (the peers' own state and session cookies). */
export function cookie(req, name) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The hand-written peers fetch what Gatehouse fetches after the code exchange: the user and their emails. */
export async function fetchIdentity(apiBase, accessToken) {
  const headers = { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "bench" };
  const [user, emails] = await Promise.all([
    fetch(`${apiBase}/user`, { headers }).then((r) => r.json()),
    fetch(`${apiBase}/user/emails`, { headers }).then((r) => r.json()),
  ]);
  if (typeof user.id !== "number" || !Array.isArray(emails)) throw new Error("bad identity");
  return { user, emails };
}

/**
 * The two routes of the hand-written peers: `/auth/github` redirects to `authorizeUrl(state)`
 * with the state in a cookie; the callback checks it, gets an access token from `exchange(code,
 * state)`, fetches the identity and opens an in-memory session.
 */
export function oauthRoutes(url, { authorizeUrl, exchange }) {
  const sessions = new Map();
  const to = (res, location, setCookie) => res.writeHead(302, setCookie ? { location, "set-cookie": setCookie } : { location }).end();
  return async (req, res) => {
    const u = new URL(req.url, url);
    if (u.pathname === "/auth/github") {
      const state = randomBytes(32).toString("base64url");
      return to(res, await authorizeUrl(state), `github_state=${state}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600`);
    }
    if (u.pathname !== "/auth/github/callback") return void res.writeHead(404).end();
    const state = u.searchParams.get("state");
    const code = u.searchParams.get("code");
    if (!state || !code || state !== cookie(req, "github_state")) return to(res, "/failed");
    try {
      const { user } = await fetchIdentity(env.github, await exchange(code, state));
      const id = randomBytes(32).toString("base64url");
      sessions.set(id, user.id);
      return to(res, "/done", `session=${id}; Path=/; HttpOnly; SameSite=Lax`);
    } catch (err) {
      if (process.env.BENCH_DEBUG) console.error(err);
      return to(res, "/failed");
    }
  };
}

/**
 * For libraries whose GitHub endpoints are fixed to github.com: this process's `fetch` sends
 * `https://github.com/...` and `https://api.github.com/...` to the fake GitHub instead (as a DNS
 * entry would; the fake serves the API at its root too).
 */
export function sendGitHubComToFake() {
  const realFetch = globalThis.fetch;
  const moved = (url) => {
    for (const host of ["https://github.com", "https://api.github.com"]) if (url.startsWith(`${host}/`)) return env.github + url.slice(host.length);
    return undefined;
  };
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const to = moved(url);
    if (to === undefined) return realFetch(input, init);
    return realFetch(input instanceof Request ? new Request(to, input) : to, init);
  };
  return (url) => moved(url) ?? url;
}

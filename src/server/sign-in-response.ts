/** What every successful sign-in answers: the session cookie and `{ user, token }`. */
import type { Context } from "hono";
import type { AppEnv, ServerDeps } from "./env.js";
import type { ClientInfo, SignedIn } from "../users/index.js";
import { setSessionCookie } from "./cookies.js";
import { userJson } from "../wire/user-json.js";

/** The client facts the domain records with a session and uses for rate limits. */
export function clientInfo(c: Context<AppEnv>): ClientInfo {
  return { address: c.get("clientAddress"), userAgent: c.req.header("user-agent") };
}

/**
 * Sets the new session's cookie. A session the browser held before is revoked: a sign-in always
 * starts a new session id (no fixation, no orphaned sessions).
 */
export async function replaceSession(c: Context<AppEnv>, deps: ServerDeps, signedIn: SignedIn): Promise<void> {
  const previous = c.get("auth");
  if (previous && previous.via === "cookie") await deps.users.signOut(previous.token);
  setSessionCookie(c, deps, signedIn.token, deps.sessionMaxAgeS);
}

/** `{ user, token }` with the session cookie. */
export async function startSession(c: Context<AppEnv>, deps: ServerDeps, signedIn: SignedIn): Promise<Response> {
  await replaceSession(c, deps, signedIn);
  c.header("cache-control", "no-store");
  return c.json({ user: userJson(signedIn.user), token: signedIn.token });
}

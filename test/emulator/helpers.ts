/** Shared bits of the emulator tests: a manual clock, authorize-and-get-a-code, token posts. */
import { createHash, randomBytes } from "node:crypto";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { DEFAULT_APP } from "../../src/emulator/index.js";

export const CLIENT_ID = DEFAULT_APP.clientId;
export const CLIENT_SECRET = DEFAULT_APP.clientSecret;
export const CALLBACK = "http://127.0.0.1:4567/auth/github/callback";

export { manualClock } from "../support/clock.js";

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** GET /login/oauth/authorize without following the redirect; returns the Location as a URL. */
export async function authorize(gh: { url: string }, params: Record<string, string>, init: RequestInit = {}): Promise<{ res: Response; location: URL | null }> {
  const url = `${gh.url}/login/oauth/authorize?${new URLSearchParams({ client_id: CLIENT_ID, ...params })}`;
  const res = await fetch(url, { redirect: "manual", ...init });
  const loc = res.headers.get("location");
  return { res, location: loc === null ? null : new URL(loc) };
}

/** An autoApprove emulator's code for the default app. */
export async function getCode(gh: GitHubEmulatorHandle, params: Record<string, string> = {}): Promise<string> {
  const { location } = await authorize(gh, { redirect_uri: CALLBACK, state: "st", ...params });
  const code = location?.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location?.href ?? "(no redirect)"}`);
  return code;
}

/** POST /login/oauth/access_token with a form body. */
export async function tokenRequest(gh: { url: string }, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gh.url}/login/oauth/access_token`, { method: "POST", headers, body: new URLSearchParams(params) });
}

/** Token request answered in JSON. */
export async function tokenJson(gh: { url: string }, params: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await tokenRequest(gh, params, { accept: "application/json" });
  return (await res.json()) as Record<string, unknown>;
}

/** GET an API path with a token and a User-Agent. */
export function api(gh: { url: string }, path: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gh.url}${path}`, { headers: { authorization: `Bearer ${token}`, "user-agent": "gatehouse-tests", accept: "application/vnd.github+json", ...headers } });
}

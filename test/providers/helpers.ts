/** Shared bits of the provider tests: a sign-in driver, fetch wrappers that alter answers, dead servers. */
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ProviderError, type ProviderErrorCode, type ProviderIdentity, type ProviderTransaction, type SignInProvider } from "../../src/providers/index.js";

export const CALLBACK = "http://127.0.0.1:4567/auth/test/callback";

/** A started sign-in: what the browser came back with, and the transaction the server kept. */
export interface Started {
  callback: URL;
  tx: ProviderTransaction;
}

/** Starts a sign-in and lets `authorize` play the browser (e.g. `issuer.authorizeAs`). */
export async function start(provider: SignInProvider, authorize: (url: URL) => Promise<URL>): Promise<Started> {
  const auth = await provider.createAuthorization(CALLBACK);
  const callback = await authorize(auth.url);
  return { callback, tx: { state: auth.state, codeVerifier: auth.codeVerifier, nonce: auth.nonce, redirectUri: CALLBACK } };
}

/** A whole sign-in. */
export async function signIn(provider: SignInProvider, authorize: (url: URL) => Promise<URL>): Promise<ProviderIdentity> {
  const { callback, tx } = await start(provider, authorize);
  return provider.complete(callback.searchParams, tx);
}

/**
 * Asserts `promise` fails with a `ProviderError` of `code` (and `detail`, when given), whose
 * message holds none of `secrets`.
 */
export async function rejectsWith(promise: Promise<unknown>, code: ProviderErrorCode, options: { detail?: string; secrets?: readonly string[] } = {}): Promise<ProviderError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ProviderError, `expected a ProviderError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (options.detail !== undefined) assert.equal(caught.detail, options.detail, caught.message);
  for (const secret of options.secrets ?? []) {
    assert.ok(!caught.message.includes(secret), `the message carries a secret: ${caught.message}`);
    assert.ok(!String(caught.detail).includes(secret), "the detail carries a secret");
  }
  return caught;
}

function urlOf(input: string | URL | Request): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

/** A `fetch` that hands the JSON answers of URLs ending in `path` to `rewrite` before the client sees them. */
export function rewritingJson(path: string, rewrite: (json: Record<string, unknown>) => Record<string, unknown>): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!new URL(urlOf(input)).pathname.endsWith(path)) return res;
    const json = (await res.json()) as Record<string, unknown>;
    return new Response(JSON.stringify(rewrite(json)), { status: res.status, headers: { "content-type": "application/json; charset=utf-8" } });
  };
}

/** A `fetch` that replaces the body of answers to URLs ending in `path` with `body`, as JSON. */
export function replacingBody(path: string, body: string): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!new URL(urlOf(input)).pathname.endsWith(path)) return res;
    await res.body?.cancel();
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  };
}

/** `fetch`, counting requests per path. */
export function countingFetch(): { fetch: typeof fetch; count(path: string): number } {
  const seen: string[] = [];
  return {
    fetch: (input, init) => {
      seen.push(new URL(urlOf(input)).pathname);
      return fetch(input, init);
    },
    count: (path) => seen.filter((p) => p === path).length,
  };
}

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The JSON payload of a compact JWT (no checks). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
}

/** `jwt` with one character of part `part` (0 header, 1 payload, 2 signature) changed. */
export function tamper(jwt: string, part: 1 | 2): string {
  const parts = jwt.split(".");
  const segment = parts[part] ?? "";
  // The middle character: flipping the last one might only touch base64url padding bits.
  const i = Math.floor(segment.length / 2);
  parts[part] = `${segment.slice(0, i)}${segment[i] === "A" ? "B" : "A"}${segment.slice(i + 1)}`;
  return parts.join(".");
}

/** `jwt`'s claims re-signed (RS256) by a key of our own, with `kid` — a key the issuer never published. */
export function resignWithStrangerKey(jwt: string, kid: string): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const input = `${b64urlJson({ alg: "RS256", typ: "JWT", kid })}.${b64urlJson(jwtPayload(jwt))}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

/** A URL where nothing listens (a port bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server that accepts requests and never answers; `close()` drops them. */
export async function silentServer(): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(() => { /* never answers */ });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

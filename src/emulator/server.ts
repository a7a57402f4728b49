/** The Node binding: the emulator's fetch app on a real HTTP server on 127.0.0.1. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { EmulatorAppInfo, GitHubEmulator } from "./app.js";
import { createGitHubEmulator } from "./app.js";
import { EmulatorError } from "./errors.js";
import type { GitHubEmulatorControls, GitHubEmulatorOptions } from "./types.js";

/**
 * A running emulator: its origin, the controls, and `close()`.
 *
 * @example
 * const gh: GitHubEmulatorHandle = await startGitHubEmulator();
 * const request = octokitRequest.defaults({ baseUrl: gh.apiUrl }); // Octokit finds the web paths at gh.url
 */
export interface GitHubEmulatorHandle extends GitHubEmulatorControls {
  /** The origin, e.g. `http://127.0.0.1:53127`: github.com's paths, and api.github.com's. */
  readonly url: string;
  /** The API base as GitHub Enterprise Server lays it out: `${url}/api/v3`. */
  readonly apiUrl: string;
  /** The OAuth issuer sent as `iss` in callbacks: `${url}/login/oauth`. */
  readonly issuer: string;
  /** The registered apps (with their secrets: test configuration). */
  apps(): EmulatorAppInfo[];
  /** The current users. */
  users(): Array<{ login: string; id: number; name: string | null }>;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts the emulator on 127.0.0.1 (`port` 0, the default, picks a free port).
 *
 * @example
 * const gh = await startGitHubEmulator({ autoApprove: "octocat" });
 * try {
 *   // point your client at gh.url (web) and gh.url or gh.apiUrl (API)
 * } finally {
 *   await gh.close();
 * }
 */
export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulatorHandle> {
  const { port = 0, ...rest } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmulatorError("invalid_option", "options.port: an integer from 0 to 65535");
  // Validate before listening; the origin is known once the port is.
  createGitHubEmulator(rest);
  let emulator: GitHubEmulator | undefined;
  const listener = getRequestListener((request) => (emulator ? emulator.fetch(request) : new Response("starting", { status: 503 })));
  const server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new EmulatorError("listen_failed", `cannot listen on 127.0.0.1:${port}: ${err.message}`, { cause: err })));
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${actual}`;
  const em = createGitHubEmulator({ ...rest, origin: url });
  emulator = em;
  let closing: Promise<void> | undefined;
  return {
    ...em,
    url,
    apiUrl: `${url}/api/v3`,
    issuer: `${url}/login/oauth`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

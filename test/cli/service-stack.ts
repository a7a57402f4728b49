/**
 * The users service on a real HTTP server (127.0.0.1, port 0) with the GitHub emulator as a real
 * server standing in for GitHub (device interval 1 s so terminal sign-ins take about a second).
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitHubEmulator, DEFAULT_APP } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { createGatehouse, createLogger, createNodeHandler } from "../../src/index.js";
import type { Gatehouse } from "../../src/index.js";

export interface ServiceStack {
  url: string;
  gh: GitHubEmulatorHandle;
  gatehouse: Gatehouse;
  /** Every line the service logged. */
  logs: string[];
  close(): Promise<void>;
}

/** Starts the emulator and the service (SQLite in a temp folder, cheap scrypt). */
export async function startServiceStack(): Promise<ServiceStack> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => void handler?.(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-stack-"));
  const gh = await startGitHubEmulator({ deviceInterval: 1 });
  const logs: string[] = [];
  const gatehouse = await createGatehouse({
    publicUrl: url,
    database: `sqlite:${join(dir, "gatehouse.db")}`,
    secret: randomBytes(32),
    github: { clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret, webUrl: gh.url, apiUrl: gh.url },
    logger: createLogger({ level: "debug", destination: { write: (line: string) => void logs.push(line) } }),
    passwordParams: { ln: 10, r: 8, p: 1 },
  });
  handler = createNodeHandler(gatehouse.fetch);
  return {
    url, gh, gatehouse, logs,
    async close() {
      await gatehouse.close();
      await gh.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

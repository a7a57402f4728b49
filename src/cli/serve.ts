/**
 * `gatehouse serve`: the users service on Node. With no GitHub app configured it starts the GitHub
 * emulator in-process with a demo app and demo users, so a fresh machine signs in offline.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, loadConfig, loadOrCreateLocalSecret } from "../config.js";
import type { ServiceConfig } from "../config.js";
import { createGatehouse } from "../server/gatehouse.js";
import type { Gatehouse, GitHubSettings } from "../server/gatehouse.js";
import { createLogger } from "../server/logger.js";
import { createNodeHandler } from "../server/node.js";

const HELP = `Usage: gatehouse serve

Runs the users service. Configuration comes from GATEHOUSE_* environment variables (see the
README): with none, it listens on http://127.0.0.1:3000, keeps users in ./gatehouse.db, generates
its secret in ./.gatehouse/secret, and starts a local GitHub emulator in place of github.com.`;

/** Stops on SIGINT/SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => () => resolve(sig);
    process.once("SIGINT", stop("SIGINT"));
    process.once("SIGTERM", stop("SIGTERM"));
  });
}

async function demoGitHub(publicUrl: string): Promise<{ settings: GitHubSettings; close: () => Promise<void>; url: string; logins: string[] }> {
  // Loaded only here: a configured deployment never loads the emulator.
  const { startGitHubEmulator, DEFAULT_USERS } = await import("../emulator/index.js");
  const clientId = "Ov23liGatehouseDemo";
  const clientSecret = randomBytes(24).toString("hex");
  const gh = await startGitHubEmulator({
    apps: [{ clientId, clientSecret, name: "Gatehouse (local demo)", kind: "oauth-app", callbackUrls: [`${publicUrl}/auth/github/callback`], deviceFlow: true }],
    users: [...DEFAULT_USERS],
  });
  return {
    settings: { clientId, clientSecret, webUrl: gh.url, apiUrl: gh.url },
    close: () => gh.close(),
    url: gh.url,
    logins: DEFAULT_USERS.map((u) => u.login),
  };
}

/** Runs the service until SIGINT/SIGTERM; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  if (argv.length > 0) {
    console.error(`gatehouse serve: unexpected argument '${argv[0]}' (configuration is by environment variables; see --help)`);
    return 2;
  }
  let config: ServiceConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`gatehouse serve: ${err.message}`);
      return 1;
    }
    throw err;
  }
  let secret = config.secret;
  if (secret === undefined) {
    const local = loadOrCreateLocalSecret(config.dataDir);
    secret = local.secret;
    if (local.created) console.log(`Generated an encryption secret in ${local.path} (mode 0600). Set GATEHOUSE_SECRET in production.`);
  }

  // Listen first: with GATEHOUSE_PORT=0 the public URL (and the GitHub callback) depend on the port.
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    if (handler) void handler(req, res);
    else res.writeHead(503, { "content-type": "text/plain" }).end("starting\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrlExplicit ? config.publicUrl : config.publicUrl.replace(/:\d+$/, `:${port}`);

  let demo: Awaited<ReturnType<typeof demoGitHub>> | undefined;
  let gatehouse: Gatehouse | undefined;
  try {
    if (config.github === undefined) demo = await demoGitHub(publicUrl);
    const admins = config.admins.length > 0 || !demo ? config.admins : ["octocat"];
    gatehouse = await createGatehouse({
      publicUrl,
      database: config.databaseUrl,
      secret,
      github: demo?.settings ?? config.github ?? { clientId: "" },
      ...(config.scopes ? { scopes: config.scopes } : {}),
      policy: { signup: config.signup, orgs: config.orgs, teams: config.teams, admins },
      trustProxy: config.trustProxy,
      logger: createLogger({ level: config.logLevel }),
    });
    handler = createNodeHandler(gatehouse.fetch);
    if (demo) {
      console.log(`No GitHub app configured: GitHub is the built-in emulator at ${demo.url} (demo users: ${demo.logins.join(", ")}; octocat is admin).`);
      console.log(`For real GitHub, register an OAuth app with callback URL ${publicUrl}/auth/github/callback and set GATEHOUSE_GITHUB_CLIENT_ID and GATEHOUSE_GITHUB_CLIENT_SECRET.`);
    }
    console.log(`Gatehouse listening on ${publicUrl} (database ${config.databaseUrl.startsWith("sqlite:") ? config.databaseUrl : "postgres"})`);
    console.log(`Sign in at ${publicUrl}/login`);
    const sig = await untilSignal();
    console.log(`${sig}: shutting down`);
    return 0;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gatehouse?.close();
    await demo?.close();
  }
}

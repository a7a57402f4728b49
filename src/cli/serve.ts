/**
 * `gatehouse serve`: the users service on Node. With no GitHub app configured it starts the GitHub
 * emulator in-process with a demo app and demo users, so a fresh machine signs in offline.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, loadConfig, loadOrCreateLocalSecret } from "../config.js";
import type { ServiceConfig } from "../config.js";
import type { GitHubEmulatorHandle } from "../emulator/index.js";
import { createGatehouse } from "../server/gatehouse.js";
import type { Gatehouse, GitHubSettings } from "../server/gatehouse.js";
import { createLogger } from "../server/logger.js";
import { createNodeHandler, listen } from "../server/node.js";
import { InFlightRequests } from "../server/graceful-close.js";
import { githubCallbackUrl } from "../users/index.js";

const HELP = `Usage: gatehouse serve

Runs the users service. Configuration comes from GATEHOUSE_* environment variables (see the
README): with none, it listens on http://127.0.0.1:3000, keeps users in ./gatehouse.db, generates
its secret in ./.gatehouse/secret, and starts a local GitHub emulator in place of github.com.`;

/** How long requests in flight may take to finish once a stop is asked for. */
const DRAIN_TIMEOUT_MS = 10_000;

/** Stops on SIGINT/SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => () => resolve(sig);
    process.once("SIGINT", stop("SIGINT"));
    process.once("SIGTERM", stop("SIGTERM"));
  });
}

/**
 * The demo emulator's port: the service's port + 1, so that it is the same at every start and the
 * avatar and profile URLs stored at a sign-in still load after a restart. With port 0 (tests),
 * any free port.
 */
function demoPort(servicePort: number, configuredPort: number): number {
  return configuredPort === 0 || servicePort >= 65535 ? 0 : servicePort + 1;
}

async function demoGitHub(callbackUrl: string, port: number): Promise<{ settings: GitHubSettings; close: () => Promise<void>; url: string; logins: string[] }> {
  // Loaded only here: a configured deployment never loads the emulator.
  const { startGitHubEmulator, DEFAULT_USERS, EmulatorError } = await import("../emulator/index.js");
  const clientId = "Ov23liGatehouseDemo";
  const clientSecret = randomBytes(24).toString("hex");
  const options = {
    apps: [{ clientId, clientSecret, name: "Gatehouse (local demo)", kind: "oauth-app" as const, callbackUrls: [callbackUrl], deviceFlow: true }],
    users: [...DEFAULT_USERS],
  };
  let gh: GitHubEmulatorHandle;
  try {
    gh = await startGitHubEmulator({ ...options, port });
  } catch (err) {
    if (!(port !== 0 && err instanceof EmulatorError && err.code === "listen_failed")) throw err;
    // Still a working demo, on another port; only URLs stored at earlier starts stop loading.
    gh = await startGitHubEmulator(options);
    console.log(`Port ${port} (GATEHOUSE_PORT + 1) for the demo GitHub emulator is taken; it runs at ${gh.url} instead, so avatars and profile links saved at earlier starts will not load until it gets port ${port} back.`);
  }
  return {
    settings: { clientId, clientSecret, webUrl: gh.url, apiUrl: gh.url },
    close: () => gh.close(),
    url: gh.url,
    logins: DEFAULT_USERS.map((u) => u.login),
  };
}

/** One line for a failed listen: which address, and which variables choose it. */
function listenFailure(err: unknown, host: string, port: number): string | undefined {
  const code = err instanceof Error && "code" in err ? err.code : undefined;
  const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (code === "EADDRINUSE") return `${address} is already in use; set GATEHOUSE_PORT to a free port (0: any)`;
  if (code === "EACCES") return `not allowed to listen on ${address}; set GATEHOUSE_PORT to a port above 1023`;
  if (code === "EADDRNOTAVAIL") return `cannot listen on ${address}: no such local address; set GATEHOUSE_HOST to one of this machine's addresses`;
  return undefined;
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
  let server: Server;
  const requests = new InFlightRequests();
  let drained = false;
  try {
    const starting = (res: ServerResponse) => void res.writeHead(503, { "content-type": "text/plain" }).end("starting\n");
    ({ server } = await listen(requests.wrap((req, res) => (handler ? handler(req, res) : starting(res))), { port: config.port, host: config.host }));
  } catch (err) {
    const message = listenFailure(err, config.host, config.port);
    if (message === undefined) throw err;
    console.error(`gatehouse serve: ${message}`);
    return 1;
  }
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrlExplicit ? config.publicUrl : config.publicUrl.replace(/:\d+$/, `:${port}`);

  let demo: Awaited<ReturnType<typeof demoGitHub>> | undefined;
  let gatehouse: Gatehouse | undefined;
  try {
    if (config.github === undefined) demo = await demoGitHub(config.githubCallbackUrl ?? githubCallbackUrl(publicUrl), demoPort(port, config.port));
    const admins = config.admins.length > 0 || !demo ? config.admins : ["octocat"];
    gatehouse = await createGatehouse({
      publicUrl,
      database: config.databaseUrl,
      secret,
      github: demo?.settings ?? config.github ?? { clientId: "" },
      ...(config.scopes ? { scopes: config.scopes } : {}),
      policy: { signup: config.signup, orgs: config.orgs, teams: config.teams, admins },
      trustProxy: config.trustProxy,
      returnToHosts: config.returnToHosts,
      appOrigins: config.appOrigins,
      ...(config.githubCallbackUrl !== undefined ? { githubCallbackUrl: config.githubCallbackUrl } : {}),
      ...(config.userFields.length > 0 ? { userFields: config.userFields } : {}),
      ...(config.compat !== undefined ? { compat: config.compat } : {}),
      ...(config.oauthProviders.length > 0 ? { providers: config.oauthProviders } : {}),
      logger: createLogger({ level: config.logLevel }),
    });
    handler = createNodeHandler(gatehouse.fetch);
    if (demo) {
      console.log(`No GitHub app configured: GitHub is the built-in emulator at ${demo.url} (demo users: ${demo.logins.join(", ")}; octocat is admin).`);
      console.log(`For real GitHub, register an OAuth app with callback URL ${config.githubCallbackUrl ?? githubCallbackUrl(publicUrl)} and set GATEHOUSE_GITHUB_CLIENT_ID and GATEHOUSE_GITHUB_CLIENT_SECRET.`);
    }
    console.log(`Gatehouse listening on ${publicUrl} (database ${config.databaseUrl.startsWith("sqlite:") ? config.databaseUrl : "postgres"})`);
    console.log(`Sign in at ${publicUrl}/login`);
    const sig = await untilSignal();
    // Stop accepting, let requests in flight finish, and only then close the database under them.
    console.log(`${sig}: shutting down${requests.count > 0 ? ` (finishing ${requests.count} request(s) in flight)` : ""}`);
    const cut = await requests.closeServer(server, DRAIN_TIMEOUT_MS);
    drained = true;
    if (cut > 0) console.log(`${cut} request(s) still running after ${DRAIN_TIMEOUT_MS / 1000} s were cut off`);
    return 0;
  } finally {
    if (!drained) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await gatehouse?.close();
    await demo?.close();
  }
}

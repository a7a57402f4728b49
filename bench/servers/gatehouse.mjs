/**
 * Gatehouse as a deployment runs it: the compiled package (dist/, which bench/peers.ts brings up to
 * date first) without a TypeScript loader, createGatehouse on a database, the Node binding, the
 * default logger at `info` (one line per request, to this process's stdout).
 */
import { randomBytes } from "node:crypto";
import { createGatehouse, createLogger, createNodeHandler } from "../../dist/index.js";
import { env, serve } from "./child.mjs";

await serve(async (url) => {
  const gatehouse = await createGatehouse({
    publicUrl: url,
    database: env.database,
    secret: randomBytes(32),
    github: { clientId: env.clientId, clientSecret: env.clientSecret, webUrl: env.github, apiUrl: env.github },
    // BENCH_LOG_LEVEL=warn: without the request lines, to show what writing them costs.
    logger: createLogger({ level: process.env.BENCH_LOG_LEVEL ?? "info" }),
  });
  const handler = createNodeHandler(gatehouse.fetch);
  return (req, res) => void handler(req, res);
});

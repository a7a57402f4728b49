// better-auth with its GitHub social provider on SQLite (better-sqlite3, its schema migrated at
// start), database sessions, as its docs set it up. Its sign-in starts with a JSON POST that
// answers the authorize URL (see `start` in peers.ts); its GitHub endpoints are fixed to
// github.com and api.github.com, which this process sends to the fake GitHub.
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { env, sendGitHubComToFake, serve } from "./child.mjs";

sendGitHubComToFake();
await serve(async (url) => {
  const options = {
    baseURL: url,
    secret: randomBytes(32).toString("hex"),
    database: new Database(env.database.replace(/^sqlite:/, "")),
    socialProviders: { github: { clientId: env.clientId, clientSecret: env.clientSecret } },
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  return toNodeHandler(betterAuth(options));
});

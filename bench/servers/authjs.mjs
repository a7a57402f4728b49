// Auth.js on Express (@auth/express) with its GitHub provider (GitHub Enterprise-style base URL
// pointed at the fake GitHub), JWT sessions (no database), as its docs set it up. Its sign-in
// starts with a form POST carrying the CSRF token of GET /auth/csrf (see `start` in peers.ts).
import { randomBytes } from "node:crypto";
import express from "express";
import { ExpressAuth } from "@auth/express";
import GitHub from "@auth/express/providers/github";
import { env, serve } from "./child.mjs";

await serve(() => {
  const app = express();
  app.set("trust proxy", true);
  // A RegExp mount: @auth/express finds its base path from req.params[0], Express 4's wildcard.
  app.use(/^\/auth\/(.*)/, ExpressAuth({
    providers: [GitHub({ clientId: env.clientId, clientSecret: env.clientSecret, enterprise: { baseUrl: env.github } })],
    secret: randomBytes(32).toString("hex"),
    trustHost: true,
  }));
  return app;
});

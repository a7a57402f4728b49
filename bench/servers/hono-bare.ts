/** A floor for any Hono app on @hono/node-server: one route answering a constant JSON body. */
import { Hono } from "hono";
import { getRequestListener } from "@hono/node-server";
import { serve } from "./child.mjs";

const app = new Hono();
app.get("/", (c) => c.json({ id: 1, username: "octocat", name: "The Octocat", role: "user" }));
await serve(() => {
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
});

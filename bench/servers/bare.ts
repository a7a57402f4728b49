/** The baseline: a bare node:http server answering a constant JSON body. */
import { serve } from "./child.mjs";

const body = JSON.stringify({ id: 1, username: "octocat", name: "The Octocat", role: "user" });
await serve(() => (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});

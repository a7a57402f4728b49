/** Device login for command-line clients: the server runs GitHub's device flow, one poll per client poll. */
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, ServerDeps } from "../env.js";
import { readJson } from "../json-body.js";
import { userJson } from "../../wire/user-json.js";
import { clientInfo } from "../sign-in-response.js";

const pollBody = z.object({ handle: z.string().min(1).max(200) });

export function deviceRoutes(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.post("/api/device/start", async (c) => {
    const start = await deps.users.startDeviceLogin(clientInfo(c));
    c.header("cache-control", "no-store");
    return c.json({
      handle: start.handle,
      user_code: start.userCode,
      verification_uri: start.verificationUri,
      expires_in: start.expiresIn,
      interval: start.interval,
    });
  });

  app.post("/api/device/poll", async (c) => {
    const body = await readJson(c, pollBody);
    const result = await deps.users.pollDeviceLogin(body.handle, clientInfo(c));
    c.header("cache-control", "no-store");
    if (result.status === "pending") return c.json({ status: "pending", interval: result.interval });
    return c.json({ status: "complete", user: userJson(result.user), token: result.token });
  });
}

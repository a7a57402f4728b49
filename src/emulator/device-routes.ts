/**
 * Device flow (RFC 8628): `POST /login/device/code` and the `/login/device` pages where the user
 * types the code and approves or cancels. Polling is in token-routes.ts.
 */
import type { Hono } from "hono";
import { showAccountPicker } from "./authorize-routes.js";
import type { Core, EmulatorContext, EmulatorEnv } from "./core.js";
import { DEVICE_CODE_TTL_S } from "./devices.js";
import { EmulatorError } from "./errors.js";
import { negotiate, oauthError, oauthResponse } from "./oauth-response.js";
import { consentPage, deviceCodePage, messagePage } from "./pages.js";
import { parseParams } from "./request-body.js";
import { normalizeScopes, parseScopeParam, wantsOfflineAccess } from "./scopes.js";
import type { UserRecord } from "./directory.js";

function signedInUser(c: EmulatorContext, core: Core): UserRecord | undefined {
  const id = core.web.userId(c.req.header("cookie"));
  return id === undefined ? undefined : core.dir.userById(id);
}

function reasonFor(err: unknown): string {
  if (err instanceof EmulatorError && err.code === "device_code_expired") return "This code has expired. Start again on your device.";
  if (err instanceof EmulatorError && err.code === "device_code_already_used") return "This code has already been used.";
  return "That code is not valid. Check it and try again.";
}

export function registerDeviceRoutes(app: Hono<EmulatorEnv>, core: Core): void {
  app.post("/login/device/code", (c) => {
    const format = negotiate(c.req.header("accept"));
    const params = parseParams(c.req.header("content-type"), c.get("body"));
    const client = params && core.dir.app(params["client_id"] ?? "");
    if (!params || !client) return oauthError(format, "incorrect_client_credentials", 400);
    // Unlike the token endpoint, this one answers HTTP 400 when device flow is off.
    if (!client.deviceFlow) return oauthError(format, "device_flow_disabled", 400);
    const requested = parseScopeParam(params["scope"]);
    const scopes = client.kind === "github-app" ? [] : normalizeScopes(requested);
    const { deviceCode, device } = core.devices.create(client.clientId, scopes, wantsOfflineAccess(requested));
    return oauthResponse(format, {
      device_code: deviceCode,
      user_code: device.userCode,
      verification_uri: `${core.origin(c.req.url)}/login/device`,
      expires_in: DEVICE_CODE_TTL_S,
      interval: device.interval,
    });
  });

  app.get("/login/device", (c) => {
    const user = signedInUser(c, core);
    if (!user) return showAccountPicker(c, core, "/login/device");
    const prefill = new URL(c.req.url).searchParams.get("user_code") ?? "";
    return deviceCodePage({ login: user.login, csrf: core.web.issueCsrf("device_code"), error: null, value: prefill });
  });

  app.post("/login/device", (c) => {
    const user = signedInUser(c, core);
    const form = new URLSearchParams(c.get("body"));
    if (!user || !core.web.checkCsrf(form.get("authenticity_token") ?? undefined, "device_code")) {
      return messagePage("Page expired", "This form has expired. Open the device page again.", 403);
    }
    const typed = form.get("user_code") ?? "";
    try {
      const device = core.devices.pending(typed);
      const client = core.dir.app(device.clientId);
      if (!client) throw new EmulatorError("unknown_app", "the app is gone");
      return consentPage({
        appName: client.name,
        user: { login: user.login, name: user.name, avatarUrl: core.avatarUrl(c.req.url, user) },
        scopes: device.scopes,
        redirectOrigin: null,
        action: "/login/device/authorize",
        fields: { user_code: device.userCode, authenticity_token: core.web.issueCsrf(`device_consent:${device.userCode}:${user.id}`) },
        switchAccountHref: null,
      });
    } catch (err) {
      return deviceCodePage({ login: user.login, csrf: core.web.issueCsrf("device_code"), error: reasonFor(err), value: typed }, 400);
    }
  });

  app.post("/login/device/authorize", (c) => {
    const user = signedInUser(c, core);
    const form = new URLSearchParams(c.get("body"));
    const userCode = form.get("user_code") ?? "";
    if (!user || !core.web.checkCsrf(form.get("authenticity_token") ?? undefined, `device_consent:${userCode}:${user.id}`)) {
      return messagePage("Page expired", "This form has expired. Open the device page again.", 403);
    }
    try {
      if (form.get("decision") !== "authorize") {
        core.devices.deny(userCode);
        return messagePage("Authorization cancelled", "You cancelled the request. You can close this window.");
      }
      const device = core.devices.pending(userCode);
      const client = core.dir.app(device.clientId);
      if (client) core.grant(user, client, device.scopes);
      core.devices.approve(userCode, user.id);
      return messagePage("Congratulations, you're all set!", "Your device is now connected. You can close this window.");
    } catch (err) {
      return messagePage("Device activation failed", reasonFor(err), 400);
    }
  });
}

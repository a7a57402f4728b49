/** Step 1 of the device flow: ask for a device code and a user code (docs/github-protocol.md §5). */
import type { ClientContext } from "./context.js";
import { optInt, optStr, str } from "./fields.js";
import { checkScopes } from "./scopes.js";
import { postForm } from "./token-endpoint.js";
import { readOAuthResponse, shapedOAuth } from "./token-response.js";
import type { DeviceCode } from "./types.js";

/**
 * The interval a client uses when the server sends none
 * ([RFC 8628 §3.2](https://www.rfc-editor.org/rfc/rfc8628#section-3.2)).
 */
export const DEFAULT_INTERVAL = 5;

/** Reads a device-code response; `expiresAt` is computed at receipt. */
function readDeviceCode(body: Record<string, unknown>, receivedAt: number): DeviceCode {
  const interval = optInt(body, "interval");
  const device: DeviceCode = {
    deviceCode: str(body, "device_code"),
    userCode: str(body, "user_code"),
    verificationUri: str(body, "verification_uri"),
    expiresAt: new Date(receivedAt + (optInt(body, "expires_in") ?? 900) * 1000),
    interval: interval !== undefined && interval > 0 ? interval : DEFAULT_INTERVAL,
  };
  const complete = optStr(body, "verification_uri_complete");
  if (complete) device.verificationUriComplete = complete;
  return device;
}

/**
 * `POST {web}/login/device/code`. Unlike the token endpoint, GitHub answers HTTP 400
 * (`device_flow_disabled`, `unauthorized_client`) here; both are read as OAuth errors.
 */
export async function requestDeviceCode(ctx: ClientContext, options: { scopes?: readonly string[] }): Promise<DeviceCode> {
  const scopes = options.scopes === undefined ? ctx.scopes : checkScopes("scopes", options.scopes, "invalid_argument");
  const params: Record<string, string> = { client_id: ctx.clientId };
  if (scopes.length > 0) params["scope"] = scopes.join(" ");
  const operation = "POST /login/device/code";
  const res = await postForm(ctx, "/login/device/code", params, operation);
  const receivedAt = ctx.now();
  const body = readOAuthResponse(res, operation);
  return shapedOAuth(operation, res.status, () => readDeviceCode(body, receivedAt));
}

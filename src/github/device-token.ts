/**
 * One token request with the device grant, no loop
 * ([RFC 8628 §3.4](https://www.rfc-editor.org/rfc/rfc8628#section-3.4); docs/github-protocol.md §5).
 */
import type { ClientContext } from "./context.js";
import { GitHubUsageError } from "./errors.js";
import { requestToken } from "./token-endpoint.js";
import type { TokenSet } from "./types.js";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Tokens, or `authorization_pending`, `slow_down`, `expired_token`, `access_denied`… as `GitHubOAuthError`. */
export async function pollDeviceTokenOnce(ctx: ClientContext, deviceCode: string, options: { signal?: AbortSignal | undefined }): Promise<TokenSet> {
  if (typeof deviceCode !== "string" || deviceCode.length === 0) throw new GitHubUsageError("invalid_argument", "deviceCode must be a non-empty string");
  return requestToken(ctx, { client_id: ctx.clientId, device_code: deviceCode, grant_type: DEVICE_GRANT }, options.signal);
}

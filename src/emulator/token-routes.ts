/**
 * `POST /login/oauth/access_token`: code, device and refresh grants. Errors come back with HTTP
 * 200 in the negotiated format (GitHub's quirk); client credentials in the body or Basic auth.
 */
import type { Hono } from "hono";
import type { Core, EmulatorEnv } from "./core.js";
import { hasVerifiedPrimaryEmail, tokenFields } from "./core.js";
import type { AppRecord } from "./directory.js";
import type { OAuthFormat } from "./oauth-response.js";
import { negotiate, oauthError, oauthResponse } from "./oauth-response.js";
import type { Params } from "./request-body.js";
import { parseBasicAuth, parseParams } from "./request-body.js";
import { s256, safeEqual } from "./secrets.js";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
// RFC 7636 §4.1: 43-128 unreserved characters.
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

interface Client {
  app: AppRecord;
  /** The secret was sent and is right; false when absent. */
  authenticated: boolean;
  /** A secret was sent (and is wrong unless `authenticated`). */
  secretSent: boolean;
}

/** Client from the body or Basic auth; both at once must agree. Null: unknown client or mismatch. */
function identifyClient(core: Core, params: Params, authorization: string | undefined): Client | null {
  const basic = parseBasicAuth(authorization);
  const bodyId = params["client_id"];
  if (basic && bodyId !== undefined && basic.id !== bodyId) return null;
  const app = core.dir.app(bodyId ?? basic?.id ?? "");
  if (!app) return null;
  const secret = params["client_secret"] ?? basic?.secret;
  return { app, secretSent: secret !== undefined, authenticated: secret !== undefined && safeEqual(secret, app.clientSecret) };
}

function codeGrant(core: Core, format: OAuthFormat, client: Client, params: Params): Response {
  if (!client.authenticated) return oauthError(format, "incorrect_client_credentials");
  const record = core.codes.take(params["code"] ?? "");
  if (!record || record.clientId !== client.app.clientId) return oauthError(format, "bad_verification_code");
  // redirect_uri is optional here; when sent it must be the authorize request's.
  const redirectUri = params["redirect_uri"];
  if (redirectUri !== undefined && redirectUri !== record.redirectUri) return oauthError(format, "redirect_uri_mismatch");
  if (record.codeChallenge !== null) {
    const verifier = params["code_verifier"];
    if (verifier === undefined || !PKCE_VERIFIER.test(verifier) || !safeEqual(s256(verifier), record.codeChallenge)) {
      // Undocumented on GitHub; the code is burnt either way, so a wrong guess cannot be retried.
      return oauthError(format, "bad_verification_code", 200, { error_description: "The code_verifier does not match the code_challenge." });
    }
  }
  const user = core.dir.userById(record.userId);
  if (!user) return oauthError(format, "bad_verification_code");
  if (!hasVerifiedPrimaryEmail(user)) return oauthError(format, "unverified_user_email");
  return oauthResponse(format, tokenFields(core.issueToken(client.app, user, record.scopes, record.offlineAccess, false)));
}

function deviceGrant(core: Core, format: OAuthFormat, client: Client, params: Params): Response {
  if (!client.app.deviceFlow) return oauthError(format, "device_flow_disabled");
  const result = core.devices.poll(client.app.clientId, params["device_code"] ?? "");
  if (result.kind === "error") return oauthError(format, result.error);
  // RFC 8628 §3.5: the new interval travels in the body.
  if (result.kind === "slow_down") return oauthError(format, "slow_down", 200, { interval: result.interval });
  const user = result.device.userId === null ? undefined : core.dir.userById(result.device.userId);
  if (!user) return oauthError(format, "access_denied");
  if (!hasVerifiedPrimaryEmail(user)) return oauthError(format, "unverified_user_email");
  return oauthResponse(format, tokenFields(core.issueToken(client.app, user, result.device.scopes, result.device.offlineAccess, true)));
}

function refreshGrant(core: Core, format: OAuthFormat, client: Client, params: Params): Response {
  const refreshToken = params["refresh_token"] ?? "";
  // Tokens from the device flow refresh without a secret (public clients); others need it.
  const secretOptional = !client.secretSent && core.tokens.refreshViaDevice(client.app.clientId, refreshToken);
  if (!client.authenticated && !secretOptional) return oauthError(format, "incorrect_client_credentials");
  const rotated = core.tokens.rotate(client.app, refreshToken);
  if (!rotated) return oauthError(format, "bad_refresh_token");
  return oauthResponse(format, tokenFields(rotated.issued));
}

export function registerTokenRoutes(app: Hono<EmulatorEnv>, core: Core): void {
  app.post("/login/oauth/access_token", (c) => {
    const format = negotiate(c.req.header("accept"));
    const params = parseParams(c.req.header("content-type"), c.get("body"));
    if (params === null) return oauthError(format, "invalid_request");
    const client = identifyClient(core, params, c.req.header("authorization"));
    if (!client) return oauthError(format, "incorrect_client_credentials");
    const grantType = params["grant_type"];
    if (grantType === DEVICE_GRANT) return deviceGrant(core, format, client, params);
    if (grantType === "refresh_token") return refreshGrant(core, format, client, params);
    if (grantType === undefined || grantType === "authorization_code") return codeGrant(core, format, client, params);
    return oauthError(format, "unsupported_grant_type");
  });
}

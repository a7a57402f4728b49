/**
 * Responses of github.com's OAuth endpoints: the format follows `Accept` (form by default, JSON,
 * or XML), and the token endpoint's errors come with HTTP 200 (docs/github-protocol.md §4).
 */

export type OAuthFormat = "form" | "json" | "xml";

/** OAuth error codes GitHub's token and device endpoints use. */
export type OAuthErrorCode =
  | "incorrect_client_credentials"
  | "redirect_uri_mismatch"
  | "bad_verification_code"
  | "unverified_user_email"
  | "bad_refresh_token"
  | "authorization_pending"
  | "slow_down"
  | "expired_token"
  | "incorrect_device_code"
  | "access_denied"
  | "unsupported_grant_type"
  | "device_flow_disabled"
  | "invalid_request";

const DESCRIPTIONS: Record<OAuthErrorCode, string> = {
  incorrect_client_credentials: "The client_id and/or client_secret passed are incorrect.",
  redirect_uri_mismatch: "The redirect_uri MUST match the registered callback URL for this application.",
  bad_verification_code: "The code passed is incorrect or expired.",
  unverified_user_email: "The user must have a verified primary email.",
  bad_refresh_token: "The refresh token passed is incorrect or expired.",
  authorization_pending: "The authorization request is still pending.",
  slow_down: "Too many requests have been made in the same timeframe.",
  expired_token: "The device_code has expired.",
  incorrect_device_code: "The device_code provided is not valid.",
  access_denied: "The authorization request was denied.",
  unsupported_grant_type: "The grant type is not supported.",
  device_flow_disabled: "Device Flow must be explicitly enabled for this App",
  invalid_request: "The request is missing a required parameter or is malformed.",
};

const ERROR_URI = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

/**
 * `application/json` or `application/xml` when the client lists it (first wins, parameters and
 * q ignored); anything else, `*\/*` included, gets GitHub's default form encoding.
 */
export function negotiate(accept: string | undefined): OAuthFormat {
  for (const part of (accept ?? "").split(",")) {
    const type = (part.split(";")[0] ?? "").trim().toLowerCase();
    if (type === "application/json") return "json";
    if (type === "application/xml") return "xml";
  }
  return "form";
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Serialises flat fields in the negotiated format. */
export function oauthResponse(format: OAuthFormat, fields: Record<string, string | number>, status = 200): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  let body: string;
  if (format === "json") {
    headers.set("content-type", "application/json; charset=utf-8");
    body = JSON.stringify(fields);
  } else if (format === "xml") {
    headers.set("content-type", "application/xml; charset=utf-8");
    body = `<OAuth>${Object.entries(fields).map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`).join("")}</OAuth>`;
  } else {
    headers.set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
  }
  return new Response(body, { status, headers });
}

/** An OAuth error; HTTP 200 unless told otherwise (the token endpoint's quirk). */
export function oauthError(format: OAuthFormat, error: OAuthErrorCode, status = 200, extra: Record<string, string | number> = {}): Response {
  const anchor = error.replace(/_/g, "-");
  return oauthResponse(format, { error, error_description: DESCRIPTIONS[error], error_uri: `${ERROR_URI}#${anchor}`, ...extra }, status);
}

/** GitHub's human description of an error code (also used on callbacks). */
export function describeOAuthError(error: OAuthErrorCode): string {
  return DESCRIPTIONS[error];
}

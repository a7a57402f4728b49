/**
 * oauth4webapi's errors → the closed {@link ProviderErrorCode} set. Which step failed decides most
 * of it (a failure while checking the signature is an ID token failure whatever oauth4webapi calls
 * it). The result never carries oauth4webapi's error as `cause`: its `cause` holds whole response
 * bodies, tokens included.
 */
import * as oauth from "oauth4webapi";
import { ProviderError, type ProviderErrorCode } from "./errors.js";
import { isTimeout } from "./transport.js";

/** The step of a sign-in an error came from. */
export type Step = "discovery" | "callback" | "token" | "signature" | "userinfo";

const WHAT: Record<Step, string> = {
  discovery: "the discovery document",
  callback: "the callback",
  token: "the token endpoint's answer",
  signature: "the ID token's signature",
  userinfo: "the userinfo answer",
};

function causeRecord(err: Error): Record<string, unknown> {
  const cause: unknown = err.cause;
  return typeof cause === "object" && cause !== null ? (cause as Record<string, unknown>) : {};
}

/** An OAuth error code as a provider sent it: kept only when it has the RFC 6749 form. */
function oauthCode(value: unknown): string | undefined {
  return typeof value === "string" && /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(value) ? value : undefined;
}

/** An OAuth error from the token endpoint (in an error status, or GitHub-style with HTTP 200). */
function tokenEndpointError(name: string, error: string): ProviderError {
  // RFC 6749 §5.2 `invalid_grant`; GitHub says `bad_verification_code` for the same thing.
  if (error === "invalid_grant" || error === "bad_verification_code") {
    return new ProviderError("invalid_code", `${name}: the token endpoint refused the code (wrong, used or expired)`, { detail: error });
  }
  return new ProviderError("oauth_error", `${name}: the token endpoint answered ${error}`, { detail: error });
}

/**
 * Maps what a step threw to a `ProviderError` of provider `name`. A `ProviderError` (thrown by the
 * transport or a check of ours) passes unchanged.
 *
 * @example
 * try { as = await oauth.processDiscoveryResponse(issuer, res); }
 * catch (err) { throw toProviderError(err, "discovery", "gitlab"); }
 */
export function toProviderError(err: unknown, step: Step, name: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const fail = (code: ProviderErrorCode, message: string, detail?: string): ProviderError =>
    new ProviderError(code, `${name}: ${message}`, detail === undefined ? {} : { detail });
  if (!(err instanceof Error)) return fail("invalid_response", `${WHAT[step]} could not be processed`);
  // A timeout while a body was read surfaces as oauth4webapi's parse error around the abort.
  if (isTimeout(err) || isTimeout(err.cause)) return fail("unavailable", `${WHAT[step]} did not arrive in time`);

  if (err instanceof oauth.AuthorizationResponseError) {
    const error = oauthCode(err.error) ?? "invalid";
    return error === "access_denied"
      ? fail("access_denied", "the sign-in was refused or cancelled at the provider", error)
      : fail("oauth_error", `the provider answered the sign-in with ${error}`, error);
  }
  if (err instanceof oauth.ResponseBodyError) {
    const error = oauthCode(err.error) ?? "invalid";
    if (step === "token") return tokenEndpointError(name, error);
    return fail("invalid_response", `${WHAT[step]} was an error (${error}, HTTP ${err.status})`, error);
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    return fail("invalid_response", `${WHAT[step]} was an authentication challenge (HTTP ${err.status})`, "www_authenticate");
  }
  if (step === "signature") {
    const detail = err instanceof oauth.OperationProcessingError && err.code === oauth.KEY_SELECTION ? "kid" : "signature";
    return fail("invalid_id_token", detail === "kid" ? "no key of the provider's JWKS matches the ID token" : "the ID token's signature does not verify", detail);
  }
  if (err instanceof oauth.OperationProcessingError) {
    const cause = causeRecord(err);
    switch (err.code) {
      case oauth.JSON_ATTRIBUTE_COMPARISON:
        if (step === "discovery") return fail("issuer_mismatch", "the discovery document names another issuer", "issuer");
        return fail("invalid_response", `${WHAT[step]} is about another subject`, String(cause["attribute"] ?? "sub"));
      case oauth.JWT_CLAIM_COMPARISON:
      case oauth.JWT_TIMESTAMP_CHECK: {
        const claim = typeof cause["claim"] === "string" ? cause["claim"] : "claims";
        if (claim === "iss") return fail("issuer_mismatch", "the ID token names another issuer", "iss");
        return fail("invalid_id_token", `the ID token's ${claim} check failed`, claim);
      }
      case oauth.INVALID_RESPONSE: {
        if (step === "callback") {
          // validateAuthResponse's own checks, told apart by the parameter its message names.
          if (err.message.includes('"iss"')) return fail("issuer_mismatch", "the callback's iss is not the provider's issuer (RFC 9207)", "iss");
          if (err.message.includes('"state"')) return fail("state_mismatch", "the callback's state is not this sign-in's", "state");
          return fail("invalid_response", "the callback is malformed");
        }
        // A check of the ID token itself (a claim missing or of the wrong type, its alg, its form).
        if (step === "token" && (/\bJWT\b/.test(err.message) || "claims" in cause)) {
          const claim = /JWT "(\w+)"/.exec(err.message)?.[1] ?? "claims";
          return fail("invalid_id_token", `the ID token is malformed (${claim})`, claim);
        }
        const body = cause["body"];
        const error = typeof body === "object" && body !== null ? oauthCode((body as Record<string, unknown>)["error"]) : undefined;
        if (step === "token" && error !== undefined) return tokenEndpointError(name, error);
        return fail("invalid_response", `${WHAT[step]} lacks a required member or has the wrong type`);
      }
      case oauth.RESPONSE_IS_NOT_CONFORM:
        return fail("invalid_response", `${WHAT[step]} had an unexpected HTTP status`, "status");
      case oauth.RESPONSE_IS_NOT_JSON:
      case oauth.PARSE_ERROR:
        return fail("invalid_response", `${WHAT[step]} is not JSON`, "json");
      default:
        return fail("invalid_response", `${WHAT[step]} could not be processed`, err.code);
    }
  }
  if (err instanceof oauth.UnsupportedOperationError) return fail("invalid_response", `${WHAT[step]} uses something unsupported`, "unsupported");
  return fail("invalid_response", `${WHAT[step]} could not be processed`);
}

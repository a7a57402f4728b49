/**
 * Plain sentences for a failed sign-in. `/login?error=CODE` is where a failed GitHub callback lands;
 * the code is external input, so an unknown one gets a generic sentence, never an echo.
 */
import type { UsersErrorCode } from "../../users/index.js";

// Every domain code has a sentence (the Record makes a new code a compile error here).
const SENTENCES: Record<UsersErrorCode, string> = {
  access_denied: "You cancelled the sign-in at GitHub, so you were not signed in. You can try again whenever you like.",
  not_invited: "Your GitHub account has not been invited to this service. Ask an administrator to invite you.",
  not_in_org: "Your GitHub account is not a member of an organisation that may sign in here. Ask an administrator for access.",
  not_in_team: "Your GitHub account is not in a team that may sign in here. Ask an administrator for access.",
  account_disabled: "Your account has been disabled. Ask an administrator if you think this is a mistake.",
  github_rate_limited: "GitHub is limiting how often we can ask it right now. Please wait a minute and try again.",
  github_unavailable: "We could not reach GitHub. Please try again in a moment.",
  github_timeout: "GitHub took too long to answer. Please try again in a moment.",
  github_error: "GitHub could not complete the sign-in. Please try again.",
  invalid_state: "This sign-in attempt is not valid any more (it was used already or started in another browser). Please start again.",
  transaction_expired: "This sign-in attempt took too long and expired. Please start again.",
  issuer_mismatch: "The answer did not come from the GitHub this service uses, so it was refused. Please start again.",
  missing_code: "GitHub did not complete the sign-in. Please start again.",
  invalid_code: "This sign-in attempt expired or was already used. Please start again.",
  unverified_email: "GitHub will not sign you in until your account has a verified email address. Verify one on GitHub, then try again.",
  invalid_credentials: "That username and password do not match. Check them and try again.",
  rate_limited: "Too many sign-in attempts. Please wait a few minutes and try again.",
  invalid_input: "Something in the sign-in request was not valid. Please start again.",
  unauthenticated: "Please sign in to continue.",
  forbidden: "You are not allowed to do that.",
  not_found: "That account no longer exists.",
  username_taken: "An account with that username already exists. Ask an administrator for help.",
  github_login_taken: "Another account is already waiting for that GitHub account. Ask an administrator for help.",
  last_admin: "That would leave the service without an administrator.",
  device_login_expired: "The code expired before it was approved. Please start again.",
  device_login_denied: "The sign-in was cancelled at GitHub.",
  no_github_link: "No GitHub account is linked to this account.",
  github_reauth_required: "Your GitHub authorisation has ended. Please sign in with GitHub again.",
  recent_sign_in_required: "For your safety, sign in with GitHub again, then set your password within 10 minutes.",
  unknown_provider: "That way of signing in is not offered here. Choose one of the buttons below.",
  provider_error: "The sign-in provider could not complete the sign-in. Please try again.",
  provider_unavailable: "We could not reach the sign-in provider, or it did not answer properly. Please try again in a moment.",
  invalid_id_token: "The sign-in provider's answer failed a security check, so it was refused. Please start again.",
  identity_taken: "That account is already linked to another account here. Sign in with it to use that account, or ask an administrator.",
  already_linked: "Your account already has a sign-in of that kind linked. Unlink it first to link another one.",
  last_sign_in_method: "That is the last way to sign in to your account, so it cannot be removed. Add a password or link another sign-in first.",
};

/**
 * The sentence for a sign-in error code from the query string, or a generic one.
 *
 * @example
 * signInErrorSentence("access_denied"); // "You cancelled the sign-in at GitHub, ..."
 * signInErrorSentence("access_denied", "GitLab"); // "You cancelled the sign-in at GitLab, ..."
 */
export function signInErrorSentence(code: string, providerDisplayName?: string): string {
  const sentence = isKnownCode(code) ? SENTENCES[code] : "The sign-in did not work. Please try again.";
  // The same failures happen at any provider: name the one the person used.
  return providerDisplayName === undefined ? sentence : sentence.replaceAll("GitHub", providerDisplayName);
}

function isKnownCode(code: string): code is UsersErrorCode {
  return Object.hasOwn(SENTENCES, code);
}

/** A rate-limit sentence that says how long to wait, when the domain told us. */
export function retryAfterSentence(retryAfterS: number | undefined): string {
  if (retryAfterS === undefined || !Number.isFinite(retryAfterS)) return SENTENCES.rate_limited;
  const minutes = Math.ceil(retryAfterS / 60);
  const wait = retryAfterS < 60 ? `${Math.max(1, Math.ceil(retryAfterS))} seconds` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many sign-in attempts. Please wait ${wait} and try again.`;
}

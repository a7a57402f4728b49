/**
 * The web flow's browser side: `GET /login/oauth/authorize`, the account picker, consent, and the
 * redirect back to the app with `code`, `state` and `iss` (or an error), as github.com does.
 */
import type { Hono } from "hono";
import type { Core, EmulatorContext, EmulatorEnv } from "./core.js";
import type { AppRecord, UserRecord } from "./directory.js";
import type { OAuthErrorCode } from "./oauth-response.js";
import { describeOAuthError } from "./oauth-response.js";
import { accountPickerPage, consentPage, messagePage } from "./pages.js";
import { resolveRedirectUri } from "./redirect-uri.js";
import { coversScopes, normalizeScopes, parseScopeParam, wantsOfflineAccess } from "./scopes.js";
import type { PendingAuthorization } from "./web-session.js";
import { sessionCookie } from "./web-session.js";

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const CONTINUE_PATH = "/login/oauth/authorize/continue";

/** 302 to the callback with parameters appended to any it already has. */
function redirectTo(uri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return new Response(null, { status: 302, headers: { location: url.href, "cache-control": "no-store" } });
}

function redirectError(c: EmulatorContext, core: Core, uri: string, error: OAuthErrorCode | "application_suspended", state: string | undefined, description?: string): Response {
  const text =
    description ?? (error === "application_suspended" ? "Your application has been suspended. Contact support@github.com." : error === "access_denied" ? "The user has denied your application access." : describeOAuthError(error));
  return redirectTo(uri, {
    error,
    error_description: text,
    error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#${error.replace(/_/g, "-")}`,
    state,
    iss: core.issuer(c.req.url),
  });
}

/** Issues the code and sends the browser back: `code`, `state`, and the RFC 9207 `iss`. */
function approve(c: EmulatorContext, core: Core, app: AppRecord, user: UserRecord, p: PendingAuthorization): Response {
  const scopes = core.grant(user, app, p.requestedScopes);
  const code = core.codes.issue({
    clientId: app.clientId,
    userId: user.id,
    scopes,
    redirectUri: p.redirectUri,
    codeChallenge: p.codeChallenge,
    offlineAccess: p.offlineAccess,
  });
  return redirectTo(p.redirectUri, { code, state: p.state, iss: core.issuer(c.req.url) });
}

function pageUser(c: EmulatorContext, core: Core, u: UserRecord) {
  return { login: u.login, name: u.name, avatarUrl: core.avatarUrl(c.req.url, u) };
}

/** After the account is known: skip consent when nothing new is asked, else show it. */
function consentOrApprove(c: EmulatorContext, core: Core, id: string, p: PendingAuthorization, app: AppRecord, user: UserRecord): Response {
  const granted = core.grants.get(user.id, app.clientId);
  // GitHub skips consent for a user who already granted the scopes (or when none are asked again),
  // unless the hourly token-creation limit is reached: then it asks the user to re-authorize.
  const covered = granted !== undefined && (!p.scopeSent || coversScopes(granted, p.requestedScopes));
  if (covered && !core.tokens.hourlyLimitReached(user.id, app.clientId, granted)) {
    core.web.finish(id);
    return approve(c, core, app, user, p);
  }
  return consentPage({
    appName: app.name,
    user: pageUser(c, core, user),
    scopes: p.requestedScopes,
    redirectOrigin: new URL(p.redirectUri).origin,
    action: "/login/oauth/authorize",
    fields: { authorization: id, authenticity_token: core.web.pageToken(p) },
    switchAccountHref: `${CONTINUE_PATH}?authorization=${encodeURIComponent(id)}&select_account=1`,
  });
}

function picker(c: EmulatorContext, core: Core, app: AppRecord | null, returnTo: string, suggested: string | undefined, allowSignup: boolean): Response {
  return accountPickerPage({
    appName: app?.name ?? null,
    users: core.dir.listUsers().map((u) => pageUser(c, core, u)),
    suggested,
    allowSignup,
    csrf: core.web.issueCsrf("select_account"),
    returnTo,
  });
}

/** Shows the account picker for `returnTo`; shared with the device page. */
export function showAccountPicker(c: EmulatorContext, core: Core, returnTo: string): Response {
  return picker(c, core, null, returnTo, undefined, true);
}

export function registerAuthorizeRoutes(app: Hono<EmulatorEnv>, core: Core): void {
  app.get("/login/oauth/authorize", (c) => {
    const q = new URL(c.req.url).searchParams;
    const get = (name: string) => q.get(name) ?? undefined;
    const client = core.dir.app(get("client_id") ?? "");
    // Unknown client: GitHub shows a 404 page; there is no trusted place to redirect to.
    if (!client) return messagePage("Not Found", "There is no application with this client_id.", 404);
    const state = get("state");
    const registered = client.callbackUrls[0] ?? "";
    if (client.suspended) return redirectError(c, core, registered, "application_suspended", state);
    const redirectUri = resolveRedirectUri(client.kind, client.callbackUrls, get("redirect_uri"));
    // A refused redirect_uri: the error goes to the registered callback, never to the requested one.
    if (redirectUri === null) return redirectError(c, core, registered, "redirect_uri_mismatch", state);

    const challenge = get("code_challenge");
    const method = get("code_challenge_method");
    if (challenge !== undefined || method !== undefined) {
      // GitHub supports S256 only; `plain` (RFC 7636's default when the method is omitted) is refused.
      if (method !== "S256") return redirectError(c, core, redirectUri, "invalid_request", state, "code_challenge_method must be S256.");
      if (challenge === undefined || !PKCE_CHALLENGE.test(challenge)) {
        return redirectError(c, core, redirectUri, "invalid_request", state, "code_challenge must be the 43-character base64url SHA-256 of the code_verifier.");
      }
    }
    const requested = parseScopeParam(get("scope"));
    const pendingInput = {
      clientId: client.clientId,
      redirectUri,
      state,
      requestedScopes: client.kind === "github-app" ? [] : normalizeScopes(requested),
      scopeSent: get("scope") !== undefined,
      offlineAccess: wantsOfflineAccess(requested),
      codeChallenge: challenge ?? null,
      loginHint: get("login"),
      allowSignup: get("allow_signup") !== "false",
      userId: null,
    };

    // Headless tests: approve without pages, as `login=` (when it names a user) or the autoApprove user.
    if (core.autoApprove !== null) {
      const hinted = pendingInput.loginHint === undefined ? undefined : core.dir.findUser(pendingInput.loginHint);
      const user = hinted ?? core.dir.findUser(core.autoApprove);
      if (user) return approve(c, core, client, user, { ...pendingInput, csrf: "", expiresAt: 0 });
    }

    const { id, pending } = core.web.addPending(pendingInput);
    const sessionUserId = core.web.userId(c.req.header("cookie"));
    const sessionUser = sessionUserId === undefined ? undefined : core.dir.userById(sessionUserId);
    const mustPick =
      sessionUser === undefined ||
      get("prompt") === "select_account" ||
      // GitHub always shows the picker to apps whose callback is not https://.
      !redirectUri.startsWith("https://") ||
      (pendingInput.loginHint !== undefined && pendingInput.loginHint.toLowerCase() !== sessionUser.login.toLowerCase());
    if (mustPick) return picker(c, core, client, `${CONTINUE_PATH}?authorization=${encodeURIComponent(id)}`, pendingInput.loginHint, pendingInput.allowSignup);
    pending.userId = sessionUser.id;
    return consentOrApprove(c, core, id, pending, client, sessionUser);
  });

  app.post("/login/oauth/select_account", async (c) => {
    const form = new URLSearchParams(c.get("body"));
    if (!core.web.checkCsrf(form.get("authenticity_token") ?? undefined, "select_account")) {
      return messagePage("Page expired", "This form has expired or was not sent by the emulator's page. Go back and try again.", 403);
    }
    const user = core.dir.findUser(form.get("login") ?? "");
    const returnTo = form.get("return_to") ?? "";
    // Only the emulator's own pages: no open redirect.
    if (!user || !/^\/login\/[A-Za-z0-9/_.-]*(\?[A-Za-z0-9=&%_.~-]*)?$/.test(returnTo)) return messagePage("Bad request", "Unknown account or return address.", 400);
    return new Response(null, { status: 303, headers: { location: returnTo, "set-cookie": sessionCookie(core.web.signIn(user.id)), "cache-control": "no-store" } });
  });

  app.get(CONTINUE_PATH, (c) => {
    const q = new URL(c.req.url).searchParams;
    const id = q.get("authorization") ?? "";
    const pending = core.web.getPending(id);
    const client = pending && core.dir.app(pending.clientId);
    if (!pending || !client) return messagePage("Page expired", "This authorization request has expired. Start signing in again from the app.", 400);
    const userId = core.web.userId(c.req.header("cookie"));
    const user = userId === undefined ? undefined : core.dir.userById(userId);
    if (!user || q.get("select_account") === "1") return picker(c, core, client, `${CONTINUE_PATH}?authorization=${encodeURIComponent(id)}`, pending.loginHint, pending.allowSignup);
    pending.userId = user.id;
    return consentOrApprove(c, core, id, pending, client, user);
  });

  // The consent form's decision.
  app.post("/login/oauth/authorize", (c) => {
    const form = new URLSearchParams(c.get("body"));
    const id = form.get("authorization") ?? "";
    const pending = core.web.getPending(id, form.get("authenticity_token") ?? "");
    const client = pending && core.dir.app(pending.clientId);
    const userId = core.web.userId(c.req.header("cookie"));
    // The decision must come from the browser that was shown the page, for the account it showed.
    if (!pending || !client || userId === undefined || pending.userId !== userId) {
      return messagePage("Page expired", "This authorization request has expired or belongs to another session. Start again from the app.", 403);
    }
    const user = core.dir.userById(userId);
    core.web.finish(id);
    if (!user || form.get("decision") !== "authorize") return redirectError(c, core, pending.redirectUri, "access_denied", pending.state);
    return approve(c, core, client, user, pending);
  });
}

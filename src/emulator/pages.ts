/**
 * Server-rendered pages: account picker, consent, device code entry, outcomes. Plain HTML with
 * labels and named buttons (a browser test can click them by role and name), no JavaScript.
 */
import { describeScope } from "./scopes.js";

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const CSS = `body{font-family:system-ui,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1.5rem}
h1{font-size:1.4rem;margin-top:0}ul{padding-left:1.2rem}
button{font:inherit;padding:.4rem 1rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer;margin:.25rem .25rem .25rem 0}
button.primary{background:#1f883d;color:#fff;border-color:#1a7f37}
.account{display:flex;align-items:center;gap:.75rem;margin:.5rem 0}.muted{color:#59636e;font-size:.9rem}
[role=alert]{background:#ffebe9;border:1px solid #ff8182;padding:.5rem;border-radius:6px}
label{display:block;font-weight:600;margin-bottom:.4rem}input{font:inherit;padding:.4rem;letter-spacing:.1em;text-transform:uppercase}`;

/** A whole page; `title` is also the `<h1>`. */
function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · GitHub emulator</title><style>${CSS}</style></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // No scripts, no framing, forms post only to ourselves.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self' http: https:; frame-ancestors 'none'",
    },
  });
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;

/** A user on a page. */
export interface PageUser {
  login: string;
  name: string | null;
  avatarUrl: string;
}

/** "Select an account": one button per user, named by the login. */
export function accountPickerPage(opts: {
  appName: string | null;
  users: PageUser[];
  suggested: string | undefined;
  allowSignup: boolean;
  csrf: string;
  returnTo: string;
}): Response {
  const intro = opts.appName === null ? "to continue to GitHub" : `to continue to ${esc(opts.appName)}`;
  const items = opts.users
    .map((u) => {
      const hint = opts.suggested !== undefined && u.login.toLowerCase() === opts.suggested.toLowerCase() ? ' <span class="muted">(suggested)</span>' : "";
      return `<li class="account"><img src="${esc(u.avatarUrl)}" alt="" width="32" height="32"><button type="submit" name="login" value="${esc(u.login)}">${esc(u.login)}</button><span class="muted">${esc(u.name ?? "")}</span>${hint}</li>`;
    })
    .join("");
  const signup = opts.allowSignup ? `<p class="muted">New to GitHub? Sign-ups are simulated with the emulator's <code>addUser</code> control.</p>` : "";
  return page(
    "Select an account",
    `<p>${intro}</p><form method="post" action="/login/oauth/select_account">${hidden("authenticity_token", opts.csrf)}${hidden("return_to", opts.returnTo)}<ul style="list-style:none;padding:0">${items}</ul></form>${signup}`,
  );
}

/** Consent: which app, which account, which scopes; "Authorize <app>" and "Cancel". */
export function consentPage(opts: {
  appName: string;
  user: PageUser;
  scopes: string[];
  redirectOrigin: string | null;
  action: string;
  fields: Record<string, string>;
  switchAccountHref: string | null;
}): Response {
  const scopes = opts.scopes.length
    ? `<p>This will grant access to:</p><ul>${opts.scopes.map((s) => `<li><strong>${esc(s)}</strong> <span class="muted">${esc(describeScope(s))}</span></li>`).join("")}</ul>`
    : "<p>This app requests <strong>public information only</strong> (no scopes).</p>";
  const target = opts.redirectOrigin === null ? "" : `<p class="muted">Authorizing will redirect to <strong>${esc(opts.redirectOrigin)}</strong></p>`;
  const other = opts.switchAccountHref === null ? "" : ` <a href="${esc(opts.switchAccountHref)}">Not you? Use a different account</a>`;
  const fields = Object.entries(opts.fields).map(([k, v]) => hidden(k, v)).join("");
  return page(
    `Authorize ${opts.appName}`,
    `<p class="account"><img src="${esc(opts.user.avatarUrl)}" alt="" width="32" height="32"><span><strong>${esc(opts.appName)}</strong> wants to access your <strong>${esc(opts.user.login)}</strong> account.</span></p>
<p class="muted">Signed in as <strong>${esc(opts.user.login)}</strong>.${other}</p>${scopes}${target}
<form method="post" action="${esc(opts.action)}">${fields}<button type="submit" name="decision" value="cancel">Cancel</button><button class="primary" type="submit" name="decision" value="authorize">Authorize ${esc(opts.appName)}</button></form>`,
  );
}

/** Device activation: a labelled field for the user code. */
export function deviceCodePage(opts: { login: string; csrf: string; error: string | null; value: string }, status = 200): Response {
  const alert = opts.error === null ? "" : `<p role="alert">${esc(opts.error)}</p>`;
  return page(
    "Device activation",
    `<p class="muted">Signed in as <strong>${esc(opts.login)}</strong>.</p>${alert}
<form method="post" action="/login/device">${hidden("authenticity_token", opts.csrf)}<label for="user-code">Enter the code displayed on your device</label>
<input id="user-code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="9" placeholder="XXXX-XXXX" value="${esc(opts.value)}" required>
<button class="primary" type="submit">Continue</button></form>`,
    status,
  );
}

/** A final message (done, cancelled, error). */
export function messagePage(title: string, text: string, status = 200): Response {
  return page(title, `<p>${esc(text)}</p>`, status);
}

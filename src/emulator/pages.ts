/**
 * Server-rendered pages: account picker, consent, device code entry, outcomes. Plain HTML with
 * labels and named buttons (a browser test can click them by role and name), no JavaScript.
 */
import { describeScope } from "./scopes.js";

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

// GitHub's own light and dark colours; every text keeps WCAG AA contrast (4.5:1) on its background.
// The body's side padding keeps the card off the screen's edges at phone width.
const CSS = `:root{--bg:#f6f8fa;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--link:#0969da;--button:#f6f8fa;
--primary:#1f883d;--primary-line:#1a7f37;--alert-bg:#ffebe9;--alert-line:#ff8182;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--link:#4493f8;
--button:#21262d;--primary:#238636;--primary-line:#2ea043;--alert-bg:#25171c;--alert-line:#f85149}}
body{font-family:system-ui,sans-serif;background:var(--bg);color:var(--fg);margin:0;padding:0 1rem}
main{max-width:28rem;margin:3rem auto;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1.5rem}
@media (max-width:30rem){main{margin:1rem auto;padding:1rem}}
a{color:var(--link)}h1{font-size:1.4rem;margin-top:0;overflow-wrap:anywhere}ul{padding-left:1.2rem}
button{font:inherit;color:var(--fg);padding:.4rem 1rem;border-radius:6px;border:1px solid var(--line);background:var(--button);cursor:pointer;margin:.25rem .25rem .25rem 0}
button.primary{background:var(--primary);color:#fff;border-color:var(--primary-line)}
.account{display:flex;align-items:center;gap:.75rem;margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}
.profile img{border-radius:50%;border:1px solid var(--line)}
[role=alert]{background:var(--alert-bg);border:1px solid var(--alert-line);padding:.5rem;border-radius:6px}
label{display:block;font-weight:600;margin-bottom:.4rem}input{font:inherit;padding:.4rem;letter-spacing:.1em;text-transform:uppercase;max-width:100%;box-sizing:border-box}`;

/** The emulator's icon: GitHub-grey, with an "E" for emulator. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#59636e"/><text x="16" y="22" font-size="18" text-anchor="middle" fill="#fff" font-family="sans-serif">E</text></svg>`;

/** A whole page; `title` is also the `<h1>`. */
function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · GitHub emulator</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${CSS}</style></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
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

/**
 * github.com/{login}: a user's public profile, where `html_url` and the services' profile links
 * point. Says plainly that this is the emulator, not GitHub.
 */
export function profilePage(user: PageUser & { bio: string | null }): Response {
  const name = user.name === null ? "" : `<p><strong>${esc(user.name)}</strong></p>`;
  const bio = user.bio === null ? "" : `<p>${esc(user.bio)}</p>`;
  return page(
    user.login,
    `<div class="account profile"><img src="${esc(user.avatarUrl)}" alt="" width="96" height="96"><div>${name}<p class="muted">@${esc(user.login)}</p></div></div>${bio}
<p class="muted">This is the local GitHub emulator: a stand-in for github.com in development and tests.</p>`,
  );
}

/** A final message (done, cancelled, error). */
export function messagePage(title: string, text: string, status = 200): Response {
  return page(title, `<p>${esc(text)}</p>`, status);
}

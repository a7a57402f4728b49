/**
 * The account page: who you are (avatar, name, linked GitHub account), your profile, your
 * password, your sign-in methods (link and unlink), and your active sessions with revoke.
 */
import type { RequestAuth } from "../env.js";
import { canUnlink } from "../../users/index.js";
import type { Identity, ProviderInfo, SessionInfo, SignInMethod, Theme, UserFieldDefinition } from "../../users/index.js";
import { deviceName } from "./device-name.js";
import { githubProfileUrl, html, safeUrl } from "./html.js";
import type { SafeHtml } from "./html.js";
import { csrfField, layout } from "./layout.js";
import { timeAgo } from "./time-ago.js";
import { fieldInputs } from "./user-fields-form.js";

/** Values typed into the profile form (kept when it is shown again with an error). */
export interface ProfileFields {
  name: string;
  email: string;
  avatarUrl: string;
  theme: string;
  /** App-defined fields as typed (by name). */
  fields?: Record<string, string>;
}

/** What the account page shows. */
export interface AccountPageView {
  auth: RequestAuth;
  /** GitHub's web base, for the profile link. */
  githubWebUrl: string;
  sessions: SessionInfo[];
  now: number;
  /** App-defined user fields; those the user sets themselves get inputs. */
  userFields?: readonly UserFieldDefinition[];
  notice?: string | undefined;
  /** An error about one form, shown beside it. */
  error?: { form: "profile" | "password" | "methods"; text: string } | undefined;
  /** The user's linked identities (GitHub included). */
  identities?: readonly Identity[];
  /** The configured generic providers (GitHub is always offered). */
  providers?: readonly ProviderInfo[];
  /** The profile form's values when re-shown after an error. */
  profile?: ProfileFields | undefined;
}

function methodText(method: SignInMethod, providers: readonly ProviderInfo[]): string {
  if (method === "github") return "Signed in with GitHub";
  if (method === "password") return "Signed in with a password";
  if (method === "device") return "Signed in from a terminal (device code)";
  const name = method.slice("oauth:".length);
  return `Signed in with ${providers.find((p) => p.name === name)?.displayName ?? name}`;
}

// The closed set of themes (the domain refuses any other): only these are ever offered.
const THEMES: [Theme, string][] = [["system", "System default"], ["light", "Light"], ["dark", "Dark"]];


function alertFor(view: AccountPageView, form: "profile" | "password" | "methods"): SafeHtml | false {
  return view.error?.form === form && html`<p class="alert" role="alert">${view.error.text}</p>`;
}

function identity(view: AccountPageView): SafeHtml {
  const { user } = view.auth;
  const avatar = safeUrl(user.avatarUrl, "");
  const github = user.github
    ? user.github.login
      ? html`Linked GitHub account: <a href="${githubProfileUrl(view.githubWebUrl, user.github.login)}" rel="noreferrer">${user.github.login}</a>`
      : html`Linked GitHub account: id ${user.github.id}`
    : user.invitedGitHubLogin
      ? html`Invited as GitHub user <strong>${user.invitedGitHubLogin}</strong> (linked at the first sign-in with GitHub).`
      : html`No GitHub account linked.`;
  return html`<section class="card profile" aria-label="Signed in as">
${avatar !== "" && html`<img src="${avatar}" alt="" width="72" height="72">`}
<div>
<p><strong>${user.name ?? user.username}</strong> <span class="muted">@${user.username}</span>${user.role === "admin" && html` <span class="badge">admin</span>`}</p>
${user.email !== null && html`<p class="muted small">${user.email}</p>`}
<p class="small">${github}</p>
</div>
</section>`;
}

function profileForm(view: AccountPageView): SafeHtml {
  const { user } = view.auth;
  const v = view.profile ?? { name: user.name ?? "", email: user.email ?? "", avatarUrl: user.avatarUrl ?? "", theme: user.theme };
  const kept = (edited: boolean) => user.github !== null && edited && html` <span class="muted small">(set here)</span>`;
  return html`<section class="card" aria-labelledby="profile-h">
<h2 id="profile-h">Profile</h2>
${alertFor(view, "profile")}
${user.github !== null && html`<p class="hint" id="profile-sync">Name, email and avatar follow your GitHub profile at each GitHub sign-in until you change them here; a value changed here is kept. Empty a field to follow GitHub again from your next GitHub sign-in.</p>`}
<form method="post" action="/account/profile">${csrfField(view.auth)}
<div class="grid">
<div><label for="name">Name${kept(user.profileEdited.name)}</label><input id="name" name="name" autocomplete="name" maxlength="200" value="${v.name}"></div>
<div><label for="email">Email${kept(user.profileEdited.email)}</label><input id="email" name="email" type="email" autocomplete="email" maxlength="320" value="${v.email}"></div>
</div>
<label for="avatar_url">Avatar URL${kept(user.profileEdited.avatar)}</label><input id="avatar_url" name="avatar_url" type="url" maxlength="2000" value="${v.avatarUrl}" aria-describedby="avatar-hint">
<p class="hint" id="avatar-hint">An http:// or https:// address of a square image.</p>
<label for="theme">Theme</label>
<select id="theme" name="theme">${THEMES.map(([value, label]) => html`<option value="${value}"${value === v.theme && html` selected`}>${label}</option>`)}</select>
${fieldInputs(view.userFields ?? [], user.fields, view.profile?.fields)}
<div class="actions"><button type="submit" class="primary">Save profile</button></div>
</form>
</section>`;
}

function passwordForm(view: AccountPageView): SafeHtml {
  const { user } = view.auth;
  return html`<section class="card" aria-labelledby="password-h">
<h2 id="password-h">${user.hasPassword ? "Change password" : "Set a password"}</h2>
${alertFor(view, "password")}
${!user.hasPassword && html`<p class="hint">You have no password yet; with one you can also sign in without GitHub.</p>`}
<form method="post" action="/account/password">${csrfField(view.auth)}
<input type="text" name="username" autocomplete="username" value="${user.username}" hidden>
${user.hasPassword && html`<label for="current_password">Current password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" required maxlength="1024">`}
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024" aria-describedby="new-password-hint">
<p class="hint" id="new-password-hint">At least 8 characters. Your other sessions are signed out when it changes.</p>
<label for="confirm_password">Repeat the new password</label>
<input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024">
<div class="actions"><button type="submit" class="primary">${user.hasPassword ? "Change password" : "Set password"}</button></div>
</form>
</section>`;
}

/** One way to sign in: what is linked, and its Link or Unlink form (Unlink disabled, with the reason, when it is the last way in). */
function methodItem(view: AccountPageView, provider: ProviderInfo, identity: Identity | undefined): SafeHtml {
  const identities = view.identities ?? [];
  const id = `method-${provider.name}`;
  const detail = identity === undefined
    ? html`<span class="muted small">Not linked</span>`
    : html`<span class="muted small">Linked${identity.username !== null && html` as ${identity.username}`}${identity.email !== null && html` (${identity.email})`}</span>`;
  let action: SafeHtml;
  if (identity === undefined) {
    action = html`<form method="post" action="/account/link/${provider.name}">${csrfField(view.auth)}<button type="submit">Link<span class="visually-hidden"> ${provider.displayName}</span></button></form>`;
  } else if (canUnlink(view.auth.user, identities, provider.name)) {
    action = html`<form method="post" action="/account/unlink/${provider.name}">${csrfField(view.auth)}<button type="submit" class="danger">Unlink<span class="visually-hidden"> ${provider.displayName}</span></button></form>`;
  } else {
    action = html`<div><button type="button" disabled aria-describedby="${id}-why">Unlink<span class="visually-hidden"> ${provider.displayName}</span></button>
<p class="hint" id="${id}-why">This is your only way to sign in. Set a password or link another sign-in first.</p></div>`;
  }
  return html`<li class="session" id="${id}"><div><strong>${provider.displayName}</strong><div>${detail}</div></div>${action}</li>`;
}

function methodsSection(view: AccountPageView): SafeHtml {
  const { user } = view.auth;
  const identities = view.identities ?? [];
  const all: ProviderInfo[] = [{ name: "github", displayName: "GitHub" }, ...(view.providers ?? [])];
  return html`<section class="card" aria-labelledby="methods-h">
<h2 id="methods-h">Sign-in methods</h2>
${alertFor(view, "methods")}
<p class="hint">Link another account to sign in with it too. Linking is never automatic: the same email at two providers stays two accounts until you link them here.</p>
<ul class="plain">
<li class="session" id="method-password"><div><strong>Password</strong><div class="muted small">${user.hasPassword ? "Set" : "Not set"}</div></div></li>
${all.map((p) => methodItem(view, p, identities.find((i) => i.provider === p.name)))}
</ul>
</section>`;
}

function sessionItem(view: AccountPageView, s: SessionInfo): SafeHtml {
  const device = deviceName(s.userAgent);
  const seen = timeAgo(s.lastSeenAt, view.now);
  const action = s.current
    ? html`<form method="post" action="/logout">${csrfField(view.auth)}<button type="submit">Sign out<span class="visually-hidden"> of this device</span></button></form>`
    : html`<form method="post" action="/account/sessions/revoke">${csrfField(view.auth)}<input type="hidden" name="session" value="${s.id}"><button type="submit" class="danger">Revoke<span class="visually-hidden"> ${device}, last active ${seen}</span></button></form>`;
  return html`<li class="session">
<div>
<strong>${device}</strong>${s.current && html` <span class="badge on">This device</span>`}
<div class="muted small">${methodText(s.method, view.providers ?? [])}${s.ip !== null && html` from ${s.ip}`} · last active <time datetime="${s.lastSeenAt.toISOString()}" title="${s.lastSeenAt.toUTCString()}">${seen}</time></div>
</div>
${action}
</li>`;
}

/**
 * Renders the account page.
 *
 * @example
 * sendPage(c, publicUrl, accountPage({ auth, sessions, now: Date.now() }));
 */
export function accountPage(view: AccountPageView): SafeHtml {
  const others = view.sessions.filter((s) => !s.current).length;
  return layout({
    title: "Your account",
    auth: view.auth,
    body: html`
${view.notice !== undefined && html`<p class="notice" role="status">${view.notice}</p>`}
${identity(view)}
${profileForm(view)}
${passwordForm(view)}
${methodsSection(view)}
<section class="card" aria-labelledby="sessions-h">
<h2 id="sessions-h">Active sessions</h2>
<p class="muted small">${others === 0 ? "You are signed in on this device only." : `You are signed in on ${others + 1} devices. Revoke any you do not recognise.`}</p>
<ul class="plain">${view.sessions.map((s) => sessionItem(view, s))}</ul>
</section>`,
  });
}

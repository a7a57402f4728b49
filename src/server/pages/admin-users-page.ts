/**
 * `/admin/users`: search, a page of users with their state and actions, paging, and the form that
 * creates a user (an invitation by GitHub login, optionally with a password).
 */
import type { RequestAuth } from "../env.js";
import type { Identity, ProviderInfo, User, UserPage } from "../../users/index.js";
import { ADMIN_ACTIONS } from "./admin-actions.js";
import type { AdminAction } from "./admin-actions.js";
import { githubProfileUrl, html, safeUrl } from "./html.js";
import type { SafeHtml } from "./html.js";
import { csrfField, layout } from "./layout.js";
import { timeAgo } from "./time-ago.js";

/** Values typed into the create form (never the password), kept when it is shown again. */
export interface CreateFields {
  username: string;
  githubLogin: string;
  role: string;
  name: string;
  email: string;
}

/** What the list page shows. */
export interface AdminUsersView {
  auth: RequestAuth;
  /** GitHub's web base, for profile links. */
  githubWebUrl: string;
  page: UserPage;
  /** The search term. */
  q: string;
  /** 1-based page number. */
  pageNo: number;
  now: number;
  notice?: string | undefined;
  /** An error about the create form. */
  error?: string | undefined;
  create?: CreateFields | undefined;
  /** Each listed user's linked identities (loaded for the whole page in one query). */
  identities?: ReadonlyMap<number, readonly Identity[]>;
  /** The configured generic providers, for their display names. */
  providers?: readonly ProviderInfo[];
}

/**
 * How a user can sign in, as a short list: password, GitHub, each linked provider by its display
 * name (a provider no longer configured shows its name).
 *
 * @example
 * signInMethods(user, identities, providers); // "password, GitHub, GitLab"
 */
export function signInMethods(user: User, identities: readonly Identity[], providers: readonly ProviderInfo[]): string {
  const names = identities.map((i) => (i.provider === "github" ? "GitHub" : providers.find((p) => p.name === i.provider)?.displayName ?? i.provider));
  const all = [...(user.hasPassword ? ["password"] : []), ...names];
  return all.length === 0 ? "none" : all.join(", ");
}

/**
 * The list's address for a search and page (and what the action pages return to).
 *
 * @example
 * listHref("ali", 2); // "/admin/users?q=ali&page=2"
 */
export function listHref(q: string, pageNo: number, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (q !== "") params.set("q", q);
  if (pageNo > 1) params.set("page", String(pageNo));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const query = params.toString();
  return query === "" ? "/admin/users" : `/admin/users?${query}`;
}

function actionLinks(view: AdminUsersView, user: User): SafeHtml {
  const back = new URLSearchParams();
  if (view.q !== "") back.set("q", view.q);
  if (view.pageNo > 1) back.set("page", String(view.pageNo));
  const query = back.toString() === "" ? "" : `?${back.toString()}`;
  const links = (Object.keys(ADMIN_ACTIONS) as AdminAction[])
    .filter((a) => ADMIN_ACTIONS[a].applies(user))
    .map((a) => html`<a href="/admin/users/${encodeURIComponent(user.username)}/${a}${query}"${a === "delete" && html` class="danger"`}>${ADMIN_ACTIONS[a].verb}<span class="visually-hidden"> ${user.username}</span></a>`);
  return html`<div class="actions">${links}</div>`;
}

function row(view: AdminUsersView, user: User): SafeHtml {
  const avatar = safeUrl(user.avatarUrl, "");
  const github = user.github?.login
    ? html`<a href="${githubProfileUrl(view.githubWebUrl, user.github.login)}" rel="noreferrer">${user.github.login}</a>`
    : user.github
      ? html`id ${user.github.id}`
      : user.invitedGitHubLogin
        ? html`${user.invitedGitHubLogin} <span class="muted small">(invited)</span>`
        : html`<span class="muted">none</span>`;
  return html`<tr>
<td>${avatar !== "" && html`<img class="avatar" src="${avatar}" alt="" width="24" height="24"> `}<strong>${user.username}</strong>${user.name !== null && html`<div class="muted small">${user.name}</div>`}</td>
<td data-label="GitHub">${github}</td>
<td data-label="Sign-in">${signInMethods(user, view.identities?.get(user.id) ?? [], view.providers ?? [])}</td>
<td data-label="Role">${user.role === "admin" ? "Admin" : "User"}</td>
<td data-label="Status">${user.disabled ? html`<span class="badge off">Disabled</span>` : html`<span class="badge on">Active</span>`}</td>
<td data-label="Last sign-in">${user.lastSignInAt ? timeAgo(user.lastSignInAt, view.now) : "never"}</td>
<td>${actionLinks(view, user)}</td>
</tr>`;
}

function pager(view: AdminUsersView): SafeHtml {
  const { total, limit, offset, users } = view.page;
  const from = users.length === 0 ? 0 : offset + 1;
  const to = offset + users.length;
  const pages = Math.max(1, Math.ceil(total / limit));
  return html`<nav class="pager" aria-label="Pages">
<span class="muted small">${total === 0 ? "No users" : `Showing ${from}–${to} of ${total}`}</span>
<span class="actions">
${view.pageNo > 1 && html`<a href="${listHref(view.q, view.pageNo - 1)}" rel="prev">Previous page</a>`}
${view.pageNo < pages && html`<a href="${listHref(view.q, view.pageNo + 1)}" rel="next">Next page</a>`}
</span>
</nav>`;
}

function createForm(view: AdminUsersView): SafeHtml {
  const v = view.create ?? { username: "", githubLogin: "", role: "user", name: "", email: "" };
  return html`<section class="card" aria-labelledby="create-h">
<h2 id="create-h">Create a user</h2>
${view.error !== undefined && html`<p class="alert" role="alert">${view.error}</p>`}
<form method="post" action="/admin/users">${csrfField(view.auth)}
<div class="grid">
<div><label for="new-username">Username</label><input id="new-username" name="username" required maxlength="39" autocapitalize="none" spellcheck="false" value="${v.username}"></div>
<div><label for="new-github">GitHub login <span class="muted small">(optional)</span></label><input id="new-github" name="github_login" maxlength="39" autocapitalize="none" spellcheck="false" value="${v.githubLogin}" aria-describedby="new-github-hint"></div>
</div>
<p class="hint" id="new-github-hint">Invites that GitHub account: its first sign-in with GitHub is linked to this user.</p>
<div class="grid">
<div><label for="new-name">Name <span class="muted small">(optional)</span></label><input id="new-name" name="name" maxlength="200" value="${v.name}"></div>
<div><label for="new-email">Email <span class="muted small">(optional)</span></label><input id="new-email" name="email" type="email" maxlength="320" value="${v.email}"></div>
<div><label for="new-role">Role</label><select id="new-role" name="role">
<option value="user"${v.role !== "admin" && html` selected`}>User</option>
<option value="admin"${v.role === "admin" && html` selected`}>Admin</option>
</select></div>
<div><label for="new-password">Password <span class="muted small">(optional)</span></label><input id="new-password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="1024"></div>
</div>
<label class="check"><input type="checkbox" name="confirm" value="yes" required> <span>Give this person access to Gatehouse</span></label>
<div class="actions"><button type="submit" class="primary">Create user</button></div>
</form>
</section>`;
}

/**
 * Renders the users list.
 *
 * @example
 * sendPage(c, publicUrl, adminUsersPage({ auth, page, q: "", pageNo: 1, now: deps.now() }));
 */
export function adminUsersPage(view: AdminUsersView): SafeHtml {
  return layout({
    title: "Users",
    auth: view.auth,
    body: html`
${view.notice !== undefined && html`<p class="notice" role="status">${view.notice}</p>`}
<section class="card" aria-label="User list">
<form class="search" method="get" action="/admin/users" role="search">
<div><label for="q">Search users</label><input id="q" name="q" type="search" maxlength="100" value="${view.q}" placeholder="username, name, email or GitHub login"></div>
<button type="submit">Search</button>
</form>
<div class="table-wrap"><table>
<caption class="visually-hidden">Users${view.q !== "" && ` matching “${view.q}”`}</caption>
<thead><tr><th scope="col">User</th><th scope="col">GitHub</th><th scope="col">Sign-in</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Last sign-in</th><th scope="col">Actions</th></tr></thead>
<tbody>${view.page.users.map((u) => row(view, u))}</tbody>
</table></div>
${pager(view)}
</section>
${createForm(view)}`,
  });
}

/**
 * The page that confirms one action on one user: a question, its consequence, a button that
 * names the action and the user, and a way back.
 *
 * @example
 * sendPage(c, publicUrl, adminConfirmPage({ auth, action: "disable", user, back: "/admin/users" }));
 */
export function adminConfirmPage(view: {
  auth: RequestAuth; action: AdminAction; user: User; q: string; pageNo: number; error?: string | undefined;
  /** The user's linked identities and the configured providers, to say how they sign in. */
  identities?: readonly Identity[]; providers?: readonly ProviderInfo[];
}): SafeHtml {
  const text = ADMIN_ACTIONS[view.action];
  const username = view.user.username;
  return layout({
    title: text.question(username),
    auth: view.auth,
    narrow: true,
    body: html`
${view.error !== undefined && html`<p class="alert" role="alert">${view.error}</p>`}
<div class="card">
<p>${text.consequence}</p>
${view.user.id === view.auth.user.id && text.selfConsequence !== undefined && html`<p><strong>${text.selfConsequence}</strong></p>`}
<p class="muted small">Signs in with: ${signInMethods(view.user, view.identities ?? [], view.providers ?? [])}</p>
<form method="post" action="/admin/users/${encodeURIComponent(username)}/${view.action}">${csrfField(view.auth)}
<input type="hidden" name="q" value="${view.q}"><input type="hidden" name="page" value="${String(view.pageNo)}">
<div class="actions">
<button type="submit" class="${view.action === "delete" || view.action === "disable" ? "primary danger-fill" : "primary"}">${text.verb} ${username}</button>
<a href="${listHref(view.q, view.pageNo)}">Cancel</a>
</div>
</form>
</div>`,
  });
}

/** The sign-in page: "Sign in with GitHub" and each configured provider, a username/password form, and what went wrong. */
import type { ProviderInfo, SignInPolicy } from "../../users/index.js";
import { html } from "./html.js";
import type { SafeHtml } from "./html.js";
import { layout } from "./layout.js";

/** What the sign-in page shows. */
export interface LoginPageView {
  /** Same-origin path to land on after sign-in. */
  returnTo: string;
  /** A sentence about a failed sign-in (shown as an alert). */
  error?: string | undefined;
  /** A sentence about something that went well or a state change (signed out, session ended). */
  notice?: string | undefined;
  /** The username typed before (never the password). */
  username?: string | undefined;
  policy: Readonly<SignInPolicy>;
  /** The configured generic providers: a button each, after GitHub's. */
  providers?: readonly ProviderInfo[];
}

function policyNote(policy: Readonly<SignInPolicy>): SafeHtml | false {
  const parts: string[] = [];
  if (policy.signup === "invite") parts.push("Only GitHub accounts an administrator invited can sign in.");
  if (policy.orgs?.length) parts.push(`You need to be a member of ${policy.orgs.join(" or ")} on GitHub.`);
  if (policy.teams?.length) parts.push(`You need to be in the team ${policy.teams.join(" or ")} on GitHub.`);
  return parts.length > 0 && html`<p class="hint">${parts.join(" ")}</p>`;
}

/**
 * Renders the sign-in page.
 *
 * @example
 * sendPage(c, publicUrl, loginPage({ returnTo: "/account", policy: users.policy }));
 */
export function loginPage(view: LoginPageView): SafeHtml {
  const query = new URLSearchParams({ return_to: view.returnTo }).toString();
  const github = `/auth/github?${query}`;
  return layout({
    title: "Sign in to Gatehouse",
    auth: undefined,
    narrow: true,
    body: html`
${view.error !== undefined && html`<p class="alert" role="alert">${view.error}</p>`}
${view.notice !== undefined && html`<p class="notice" role="status">${view.notice}</p>`}
<div class="card">
<a class="button github" href="${github}">Sign in with GitHub</a>
${(view.providers ?? []).map((p) => html`<a class="button provider" href="/auth/${p.name}?${query}">Sign in with ${p.displayName}</a>`)}
${policyNote(view.policy)}
<p class="or">or with a password</p>
<form method="post" action="/login">
<input type="hidden" name="return_to" value="${view.returnTo}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="100" value="${view.username ?? ""}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
</div>`,
  });
}

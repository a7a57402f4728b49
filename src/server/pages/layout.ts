/**
 * The frame of every page: language, viewport, stylesheet, the signed-in user's theme, a header
 * with navigation and sign-out, and one `<main>` with the page's `<h1>`.
 */
import type { RequestAuth } from "../env.js";
import { CSRF_FIELD, csrfToken } from "./csrf.js";
import { html } from "./html.js";
import type { SafeHtml } from "./html.js";
import { FAVICON_PATH } from "./favicon.js";
import { STYLESHEET_PATH } from "./styles.js";

/** What a page gives the layout. */
export interface LayoutOptions {
  /** The `<title>` and the `<h1>`. */
  title: string;
  /** The signed-in user, for the navigation, the sign-out button and the theme. */
  auth: RequestAuth | undefined;
  /** The page's content, below the heading. */
  body: SafeHtml;
  /** A narrow column (sign-in and confirmation pages). */
  narrow?: boolean;
}

/**
 * A hidden field with the session's CSRF token, for every form a signed-in user posts.
 *
 * @example
 * html`<form method="post" action="/logout">${csrfField(auth)}<button>Sign out</button></form>`;
 */
export function csrfField(auth: RequestAuth): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(auth)}">`;
}

function nav(auth: RequestAuth | undefined): SafeHtml {
  if (!auth) return html`<nav aria-label="Main"><a href="/login">Sign in</a></nav>`;
  return html`<nav aria-label="Main">
<a href="/account">Account</a>
${auth.user.role === "admin" && html`<a href="/admin/users">Users</a>`}
<form method="post" action="/logout">${csrfField(auth)}<button type="submit" class="link">Sign out</button></form>
</nav>`;
}

/**
 * A whole page.
 *
 * @example
 * sendPage(c, deps.publicUrl, layout({ title: "Your account", auth, body: html`<p>Hello</p>` }));
 */
export function layout(options: LayoutOptions): SafeHtml {
  // The domain hands out only "system", "light" or "dark".
  return html`<html lang="en" data-theme="${options.auth?.user.theme ?? "system"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · Gatehouse</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
</head>
<body>
<header class="top"><a class="brand" href="/">Gatehouse</a>${nav(options.auth)}</header>
<main${options.narrow ? html` class="narrow"` : ""}>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>`;
}

/**
 * The one way pages build HTML: a tagged template that escapes every interpolated value unless it
 * is already `SafeHtml` (the result of another `html` template). Nothing else concatenates markup.
 */

/** Markup that is safe to insert as is: only `html` (and this module's helpers) create it. */
export class SafeHtml {
  readonly #value: string;
  /** @internal use `html`. */
  constructor(value: string) {
    this.#value = value;
  }
  toString(): string {
    return this.#value;
  }
}

/** What may be interpolated: text (escaped), numbers, other `SafeHtml`, lists of them; `false`/`null`/`undefined` render nothing. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes text for element content and for quoted attribute values.
 *
 * @example
 * escapeHtml(`<b title="x">`); // "&lt;b title=&quot;x&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return escapeHtml(value);
  return value.map(render).join("");
}

/**
 * Builds markup; every `${value}` is escaped unless it is itself `SafeHtml`. Always quote attributes.
 *
 * @example
 * const name = `<script>alert(1)</script>`;
 * html`<p title="${name}">Hello ${name}</p>`.toString();
 * // '<p title="&lt;script&gt;...">Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>'
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/**
 * A URL for `href`/`src` taken from data (a user's avatar, say): only http(s) URLs and paths on this
 * site pass; anything else (`javascript:`, `data:`) becomes `fallback`. Escaping happens in `html`.
 *
 * @example
 * html`<img src="${safeUrl(user.avatarUrl, "")}" alt="">`;
 */
export function safeUrl(value: string | null | undefined, fallback: string): string {
  if (!value) return fallback;
  if (value.startsWith("/") && !value.startsWith("//")) return value;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : fallback;
  } catch {
    return fallback;
  }
}

/**
 * A GitHub user's profile page on the GitHub the service signs in with (github.com, a GHES host,
 * or the emulator).
 *
 * @example
 * githubProfileUrl("https://github.com", "octocat"); // "https://github.com/octocat"
 */
export function githubProfileUrl(githubWebUrl: string, login: string): string {
  return `${githubWebUrl.replace(/\/+$/, "")}/${encodeURIComponent(login)}`;
}

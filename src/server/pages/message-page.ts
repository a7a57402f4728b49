/** A page that says one thing (forbidden, not found, form refused) with a way onward. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { RequestAuth } from "../env.js";
import { html } from "./html.js";
import { layout } from "./layout.js";
import { sendPage } from "./page-response.js";

/** What {@link messagePage} shows. */
export interface MessagePageOptions {
  title: string;
  text: string;
  status: ContentfulStatusCode;
  auth: RequestAuth | undefined;
  /** Where to go next. Default: the account page. */
  next?: { href: string; label: string };
}

/**
 * Sends a one-message page.
 *
 * @example
 * return messagePage(c, deps.publicUrl, { title: "Not allowed", text: "Only admins can manage users.", status: 403, auth });
 */
export function messagePage(c: Context, publicUrl: URL, options: MessagePageOptions): Response {
  const next = options.next ?? { href: "/account", label: "Go to your account" };
  return sendPage(c, publicUrl, layout({
    title: options.title,
    auth: options.auth,
    narrow: true,
    body: html`<div class="card"><p>${options.text}</p><p><a href="${next.href}">${next.label}</a></p></div>`,
  }), options.status);
}

/**
 * A domain message as a sentence for a page: capitalised, with a full stop.
 *
 * @example
 * asSentence("that username is taken"); // "That username is taken."
 */
export function asSentence(message: string): string {
  const text = message.trim();
  if (text === "") return text;
  return `${text[0]?.toUpperCase() ?? ""}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;
}

/**
 * Reading HTML form posts: `application/x-www-form-urlencoded` only (what a form without
 * `enctype` sends), bounded in size. Every field is a string until a page checks it.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env.js";
import { httpStatusFor } from "../http-status.js";
import { HttpProblem } from "../problem.js";
import { messagePage } from "./message-page.js";

const MAX_FORM_BYTES = 16 * 1024;

/**
 * Bounds every page post (Hono's `bodyLimit`: from Content-Length before reading, else while
 * streaming); a form too large is answered with a page, whatever the browser accepts.
 *
 * @example
 * app.use(formBodyLimit(deps.publicUrl));
 */
export function formBodyLimit(publicUrl: URL): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => messagePage(c, publicUrl, {
      title: "Form refused", text: "This form is too large.", status: httpStatusFor("payload_too_large"), auth: c.get("auth"),
    }),
  });
}

/**
 * Parses a form post; an `unsupported_media_type` {@link HttpProblem} when it is not one. The
 * size is bounded by {@link formBodyLimit}, which the app puts in front of every page.
 *
 * @example
 * const form = await readForm(c);
 * const username = field(form, "username");
 */
export async function readForm(c: Context): Promise<URLSearchParams> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new HttpProblem("unsupported_media_type", "This form must be sent as application/x-www-form-urlencoded.");
  }
  return new URLSearchParams(await c.req.text());
}

/**
 * One field's value, `""` when absent.
 *
 * @example
 * field(new URLSearchParams("a=1"), "a"); // "1"
 */
export function field(form: URLSearchParams, name: string): string {
  return form.get(name) ?? "";
}

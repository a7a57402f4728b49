/**
 * Reading HTML form posts: `application/x-www-form-urlencoded` only (what a form without
 * `enctype` sends), bounded in size. Every field is a string until a page checks it.
 */
import type { Context } from "hono";
import { readBoundedText } from "../bounded-body.js";

const MAX_FORM = 16 * 1024;

/** Why a form body was refused. */
export type FormBodyErrorCode = "unsupported_media_type" | "payload_too_large";

/**
 * A form body that is not one; the page answers with a plain sentence and the status.
 *
 * @example
 * try { await readForm(c); } catch (err) { if (err instanceof FormBodyError) console.log(err.status); }
 */
export class FormBodyError extends Error {
  override readonly name = "FormBodyError";
  constructor(readonly code: FormBodyErrorCode, readonly status: 413 | 415, message: string) {
    super(message);
  }
}

/**
 * Parses a form post.
 *
 * @example
 * const form = await readForm(c);
 * const username = field(form, "username");
 */
export async function readForm(c: Context): Promise<URLSearchParams> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new FormBodyError("unsupported_media_type", 415, "This form must be sent as application/x-www-form-urlencoded.");
  }
  const text = await readBoundedText(c.req.raw, MAX_FORM);
  if (text === undefined) throw new FormBodyError("payload_too_large", 413, "This form is too large.");
  return new URLSearchParams(text);
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

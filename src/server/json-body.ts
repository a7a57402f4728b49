/** Reading JSON request bodies: `unknown` until a schema checks it, with size and type limits. */
import type { Context } from "hono";
import type { z } from "zod";
import { readBoundedText } from "./bounded-body.js";
import { HttpProblem } from "./problem.js";

const MAX_BODY = 64 * 1024;

/**
 * Parses the body as JSON and checks it against `schema`; failures are 400/413/415 problems that
 * name the field.
 *
 * @example
 * const body = await readJson(c, z.object({ username: z.string(), password: z.string() }));
 */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new HttpProblem(415, "unsupported_media_type", "send a JSON body with Content-Type: application/json");
  }
  const text = await readBoundedText(c.req.raw, MAX_BODY);
  if (text === undefined) throw new HttpProblem(413, "payload_too_large", `the body is larger than ${MAX_BODY} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, "invalid_json", "the body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") ?? "";
    const what = issue?.code === "unrecognized_keys" ? `unexpected field(s): ${issue.keys.join(", ")}` : issue?.message ?? "invalid body";
    throw new HttpProblem(400, "invalid_json", field ? `${field}: ${what}` : what, field || (issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined));
  }
  return parsed.data;
}

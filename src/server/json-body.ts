/** Reading JSON request bodies: `unknown` until a schema checks it, with size and type limits. */
import type { Context } from "hono";
import type { z } from "zod";
import { HttpProblem } from "./problem.js";

const MAX_BODY = 64 * 1024;

/**
 * The body as text, refused with 413 as soon as it is known to exceed the limit: from the declared
 * Content-Length before reading anything, else while streaming. Reading first and measuring after
 * would let any anonymous client make the server buffer an arbitrarily large body.
 */
async function readBounded(request: Request): Promise<string> {
  const tooLarge = () => new HttpProblem(413, "payload_too_large", `the body is larger than ${MAX_BODY} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) throw tooLarge();
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

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
  const text = await readBounded(c.req.raw);
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

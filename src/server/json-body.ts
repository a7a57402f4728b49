/** Reading JSON request bodies: `unknown` until a schema checks it, with size and type limits. */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { UsersError } from "../users/index.js";
import { HttpProblem } from "./problem.js";

const MAX_JSON_BYTES = 64 * 1024;

/**
 * Bounds every API body (Hono's `bodyLimit`): refused from a declared Content-Length before
 * anything is read, else cut off while streaming. Reading first and measuring after would let any
 * anonymous client make the server buffer, or wait for, a body of any size.
 *
 * @example
 * app.use("/api/*", jsonBodyLimit);
 */
export const jsonBodyLimit: MiddlewareHandler = bodyLimit({
  maxSize: MAX_JSON_BYTES,
  onError: () => {
    throw new HttpProblem("payload_too_large", `the body is larger than ${MAX_JSON_BYTES} bytes`);
  },
});

/**
 * Parses the body as JSON and checks it against `schema`. A body that is not JSON is
 * `invalid_json`; JSON that fails a field check is the domain's `invalid_input` naming the field.
 * The size is bounded by {@link jsonBodyLimit}, which the app puts in front of every `/api/` route.
 *
 * @example
 * const body = await readJson(c, z.object({ username: z.string(), password: z.string() }));
 */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new HttpProblem("unsupported_media_type", "send a JSON body with Content-Type: application/json");
  }
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch (err) {
    throw new HttpProblem("invalid_json", "the body is not valid JSON", { cause: err });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join(".") ?? "";
    const unknownKeys = issue?.code === "unrecognized_keys" ? issue.keys : [];
    const field = path !== "" ? path : unknownKeys[0];
    const what = unknownKeys.length > 0 ? `unexpected field(s): ${unknownKeys.join(", ")}` : issue?.message ?? "invalid body";
    throw new UsersError("invalid_input", path !== "" ? `${path}: ${what}` : what, field === undefined ? {} : { field });
  }
  return parsed.data;
}

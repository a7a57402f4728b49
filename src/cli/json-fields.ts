/** Reading JSON from outside (server answers, the credentials file): `unknown` until checked field by field. */

/**
 * A plain JSON object (not null, not an array).
 *
 * @example
 * if (isRecord(body) && typeof body["token"] === "string") { ... }
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `value[name]` when it is a non-empty string.
 *
 * @example
 * stringField(body, "detail"); // "the sign-in was cancelled on GitHub" | undefined
 */
export function stringField(value: unknown, name: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[name];
  return typeof field === "string" && field !== "" ? field : undefined;
}

/**
 * `value[name]` when it is a finite number.
 *
 * @example
 * numberField(body, "interval"); // 5 | undefined
 */
export function numberField(value: unknown, name: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[name];
  return typeof field === "number" && Number.isFinite(field) ? field : undefined;
}

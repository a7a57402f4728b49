/**
 * Field-by-field checks of bodies GitHub sent: every body is `unknown` until read through these.
 * They throw {@link ShapeError} naming the field (never its value, which may be a token); the
 * caller turns it into the right coded error.
 */

/** A body field is missing or of the wrong type. Internal: callers rethrow a coded error. */
export class ShapeError extends Error {
  override readonly name = "ShapeError";
  constructor(readonly field: string, expected: string) {
    super(`field "${field}" is not ${expected}`);
  }
}

/** An object (not null, not an array). */
export function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ShapeError(field, "an object");
  return value as Record<string, unknown>;
}

/** An array. */
export function asArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(field, "an array");
  return value;
}

/** A non-empty string. */
export function str(obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (typeof v !== "string" || v.length === 0) throw new ShapeError(key, "a non-empty string");
  return v;
}

/** A string (possibly empty), or `undefined` when absent. */
export function optStr(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new ShapeError(key, "a string");
  return v;
}

/** A string or null; absent counts as null (GitHub's simple-user objects omit `name`/`email`). */
export function nullableStr(obj: Record<string, unknown>, key: string): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new ShapeError(key, "a string or null");
  return v;
}

/** A boolean. */
export function bool(obj: Record<string, unknown>, key: string): boolean {
  const v = obj[key];
  if (typeof v !== "boolean") throw new ShapeError(key, "a boolean");
  return v;
}

/**
 * A non-negative safe integer, as a JSON number or as digits (form and XML bodies carry
 * `expires_in` and `interval` as text).
 */
export function optInt(obj: Record<string, unknown>, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  const n = typeof v === "string" && /^\d{1,15}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new ShapeError(key, "a non-negative integer");
  return n;
}

/** A non-negative safe integer (see {@link optInt}). */
export function int(obj: Record<string, unknown>, key: string): number {
  const n = optInt(obj, key);
  if (n === undefined) throw new ShapeError(key, "a non-negative integer");
  return n;
}

/** One of the listed strings. */
export function oneOf<const T extends string>(obj: Record<string, unknown>, key: string, values: readonly T[]): T {
  const v = obj[key];
  const found = values.find((x) => x === v);
  if (found === undefined) throw new ShapeError(key, `one of ${values.join(", ")}`);
  return found;
}

/**
 * App-defined user fields: extra profile values an application keeps per user (declared with
 * `GATEHOUSE_USER_FIELDS` or the `userFields` option), stored as one JSON object with the user.
 * Every write is checked against the declarations; a read fills in the defaults.
 */
import { UsersError } from "./errors.js";

/** The value types a field may declare. */
export type UserFieldType = "string" | "number" | "boolean" | "string[]" | "json";
/** Who may set a field: `self` (the user and admins) or `admin` (admins only). */
export type UserFieldSetter = "self" | "admin";
/** A field's value (a `json` field holds any JSON value). */
export type UserFieldValue = string | number | boolean | string[] | JsonValue;
/** Any JSON value. */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/** One declared field. */
export interface UserFieldDefinition {
  name: string;
  type: UserFieldType;
  /** The value a user has until one is set; without it, `null`. */
  default?: UserFieldValue;
  setBy: UserFieldSetter;
}

const TYPES: readonly UserFieldType[] = ["string", "number", "boolean", "string[]", "json"];
const NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Bounds keep one user's row small: these values are read with every authenticated request. */
const MAX_STRING = 2000;
const MAX_ITEMS = 200;
const MAX_JSON_BYTES = 16_000;

function invalid(field: string, message: string): UsersError {
  return new UsersError("invalid_input", message, { field });
}

function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 20) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (typeof value === "object") return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  return false;
}

/**
 * Checks one value against its declared type; `null` clears the field (back to its default).
 *
 * @example
 * checkFieldValue({ name: "projects", type: "string[]", setBy: "self" }, ["a"], "fields.projects"); // ["a"]
 */
export function checkFieldValue(def: Pick<UserFieldDefinition, "type">, value: unknown, field: string): UserFieldValue | null {
  if (value === null) return null;
  switch (def.type) {
    case "string":
      if (typeof value !== "string") throw invalid(field, `${field} must be a string`);
      if (value.length > MAX_STRING) throw invalid(field, `${field} must be at most ${MAX_STRING} characters`);
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(field, `${field} must be a number`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw invalid(field, `${field} must be true or false`);
      return value;
    case "string[]":
      if (!Array.isArray(value) || !value.every((v): v is string => typeof v === "string")) throw invalid(field, `${field} must be an array of strings`);
      if (value.length > MAX_ITEMS || value.some((v) => v.length > MAX_STRING)) throw invalid(field, `${field} must hold at most ${MAX_ITEMS} strings of at most ${MAX_STRING} characters`);
      return value;
    case "json":
      if (!isJsonValue(value)) throw invalid(field, `${field} must be a JSON value`);
      if (JSON.stringify(value).length > MAX_JSON_BYTES) throw invalid(field, `${field} must be at most ${MAX_JSON_BYTES} characters as JSON`);
      return value;
  }
}

/**
 * Checks declarations (from configuration or code); the error names the entry at fault.
 *
 * @example
 * parseUserFieldDefinitions([{ name: "projects", type: "string[]", default: [], set_by: "self" }]);
 */
export function parseUserFieldDefinitions(input: unknown): UserFieldDefinition[] {
  if (!Array.isArray(input)) throw new UsersError("invalid_input", "must be a JSON array of field declarations", { field: "user_fields" });
  const seen = new Set<string>();
  return input.map((entry: unknown, i) => {
    const at = `entry ${i}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw invalid("user_fields", `${at} must be an object`);
    const e = entry as Record<string, unknown>;
    const label = typeof e.name === "string" ? `${at} ("${e.name}")` : at;
    const known = new Set(["name", "type", "default", "set_by", "setBy"]);
    const extra = Object.keys(e).find((k) => !known.has(k));
    if (extra !== undefined) throw invalid("user_fields", `${label}: unknown key "${extra}"`);
    if (typeof e.name !== "string" || !NAME.test(e.name)) throw invalid("user_fields", `${label}: name must be 1-40 lower-case letters, digits or '_', starting with a letter`);
    if (seen.has(e.name)) throw invalid("user_fields", `${label}: the name is declared twice`);
    seen.add(e.name);
    const type = TYPES.find((t) => t === e.type);
    if (type === undefined) throw invalid("user_fields", `${label}: type must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}`);
    const setByRaw = e.set_by ?? e.setBy;
    if (setByRaw !== "self" && setByRaw !== "admin") throw invalid("user_fields", `${label}: set_by must be "self" or "admin"`);
    const def: UserFieldDefinition = { name: e.name, type, setBy: setByRaw };
    if (e.default !== undefined && e.default !== null) {
      try {
        const d = checkFieldValue(def, e.default, "default");
        if (d !== null) def.default = d;
      } catch (err) {
        throw invalid("user_fields", `${label}: the default ${err instanceof Error ? err.message.replace(/^default /, "") : "is invalid"}`);
      }
    }
    return def;
  });
}

/** Stored JSON → the values of every declared field, defaults filled in (undeclared keys dropped). */
export function readFields(stored: string | null, defs: readonly UserFieldDefinition[]): Record<string, UserFieldValue | null> {
  let parsed: unknown = {};
  if (stored !== null && stored !== "") {
    try {
      parsed = JSON.parse(stored);
    } catch {
      parsed = {};
    }
  }
  const values = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const out: Record<string, UserFieldValue | null> = {};
  for (const def of defs) {
    const v = values[def.name];
    // A value stored under an older declaration of another type reads as the default.
    let checked: UserFieldValue | null = null;
    try {
      checked = v === undefined ? null : checkFieldValue(def, v, def.name);
    } catch {
      checked = null;
    }
    out[def.name] = checked ?? def.default ?? null;
  }
  return out;
}

/**
 * Applies an update to the stored JSON: each key must be a declared field the writer may set and
 * hold a value of its type; `null` removes the value (the default shows again). Returns the JSON
 * to store.
 */
export function writeFields(
  stored: string | null,
  update: unknown,
  defs: readonly UserFieldDefinition[],
  writer: UserFieldSetter,
): string {
  if (typeof update !== "object" || update === null || Array.isArray(update)) throw invalid("fields", "fields must be an object");
  let current: Record<string, unknown> = {};
  try {
    const parsed: unknown = stored === null ? {} : JSON.parse(stored);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) current = { ...(parsed as Record<string, unknown>) };
  } catch {
    current = {};
  }
  for (const [name, value] of Object.entries(update)) {
    const field = `fields.${name}`;
    const def = defs.find((d) => d.name === name);
    if (def === undefined) throw invalid(field, `${field} is not a declared user field`);
    if (def.setBy === "admin" && writer !== "admin") throw new UsersError("forbidden", `${field} is set by an admin only`, { field });
    const checked = checkFieldValue(def, value, field);
    if (checked === null) delete current[name];
    else current[name] = checked;
  }
  return JSON.stringify(current);
}

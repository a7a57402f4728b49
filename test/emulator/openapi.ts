/**
 * GitHub's REST descriptions (`@octokit/openapi`: api.github.com and GHES) as validators: one per
 * operation and status, OpenAPI 3.0 schemas turned into JSON Schema for ajv (`$ref`s inlined,
 * `nullable` spelled as a `null` type, discriminators left to `oneOf`).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** `#/components/...` → the node it points to. */
function pointer(doc: JsonObject, ref: string): Json {
  let node: Json = doc;
  for (const part of ref.replace(/^#\//, "").split("/")) {
    if (!isObject(node)) throw new Error(`bad $ref ${ref}`);
    node = node[part.replace(/~1/g, "/").replace(/~0/g, "~")] ?? null;
  }
  return node;
}

/** Follows `$ref` chains on a non-schema node (responses, headers). */
function deref(doc: JsonObject, node: Json | undefined): Json | undefined {
  let n = node;
  while (isObject(n) && typeof n["$ref"] === "string") n = pointer(doc, n["$ref"]);
  return n;
}

// OpenAPI-only keywords with no JSON Schema meaning.
const DROPPED = new Set(["nullable", "discriminator", "example", "examples", "externalDocs", "xml", "deprecated", "readOnly", "writeOnly"]);

/** One OpenAPI 3.0 schema → JSON Schema (draft-07, ajv's default). */
function toJsonSchema(doc: JsonObject, node: Json, stack: readonly string[] = []): Json {
  if (!isObject(node)) return node;
  const ref = node["$ref"];
  if (typeof ref === "string") return stack.includes(ref) ? {} : toJsonSchema(doc, pointer(doc, ref), [...stack, ref]);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith("x-")) continue;
    if (key === "properties" && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(doc, v, stack)]));
    else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) out[key] = value.map((v) => toJsonSchema(doc, v, stack));
    else if (key === "items" || key === "not" || (key === "additionalProperties" && isObject(value))) out[key] = toJsonSchema(doc, value, stack);
    else out[key] = value;
  }
  if (node["nullable"] !== true) return out;
  // `nullable: true` admits null besides whatever the rest allows.
  if (typeof out["type"] === "string") {
    out["type"] = [out["type"], "null"];
    if (Array.isArray(out["enum"])) out["enum"] = [...out["enum"], null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const name of ["repo.nwo", "timestamp"]) ajv.addFormat(name, true);

/** What the description says one operation answers with one status. */
export interface DescribedResponse {
  /** A validator for the JSON body, or null when the description gives this status no body. */
  body: ValidateFunction | null;
  /** Declared headers (lower-case) → validator of the value. */
  headers: Map<string, ValidateFunction>;
}

/**
 * One published description, by its file name under `@octokit/openapi/generated/`
 * (`api.github.com`, `ghes-3.19`, …).
 */
export class RestDescription {
  private readonly doc: JsonObject;

  constructor(readonly name: string) {
    const file = require.resolve(`@octokit/openapi/generated/${name}.json`);
    this.doc = JSON.parse(readFileSync(file, "utf8")) as JsonObject;
  }

  /** The operation at `METHOD /path` (path in the description's `{param}` form), or undefined. */
  operation(method: string, path: string): JsonObject | undefined {
    const paths = this.doc["paths"];
    const item = deref(this.doc, isObject(paths) ? paths[path] : undefined);
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    return isObject(op) ? op : undefined;
  }

  /** The description's response for a status, or undefined when it does not list that status. */
  response(method: string, path: string, status: number): DescribedResponse | undefined {
    const responses = this.operation(method, path)?.["responses"];
    const response = deref(this.doc, isObject(responses) ? responses[String(status)] : undefined);
    if (!isObject(response)) return undefined;
    const content = response["content"];
    const media = isObject(content) ? content["application/json"] : undefined;
    const schema = isObject(media) ? media["schema"] : undefined;
    const headers = new Map<string, ValidateFunction>();
    const declared = response["headers"];
    if (isObject(declared)) {
      for (const [name, h] of Object.entries(declared)) {
        const header = deref(this.doc, h);
        const s = isObject(header) ? header["schema"] : undefined;
        if (s !== undefined) headers.set(name.toLowerCase(), ajv.compile(toJsonSchema(this.doc, s) as object));
      }
    }
    return { body: schema === undefined ? null : ajv.compile(toJsonSchema(this.doc, schema) as object), headers };
  }

  /** A validator for a named component schema (`basic-error` for GitHub's error body). */
  component(name: string): ValidateFunction {
    return ajv.compile(toJsonSchema(this.doc, { $ref: `#/components/schemas/${name}` }) as object);
  }
}

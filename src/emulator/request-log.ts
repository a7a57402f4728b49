/** The record of received requests, with secrets redacted before they are stored. */
import type { EmulatorFault, EmulatorRecordedRequest, EmulatorRoute } from "./types.js";

const REDACTED = "[REDACTED]";
// Every parameter that carries a credential on GitHub's OAuth and token-management endpoints.
const SECRET_FIELDS = new Set([
  "client_secret",
  "code",
  "code_verifier",
  "access_token",
  "refresh_token",
  "device_code",
  "token",
  "password",
  "authenticity_token",
]);
const SECRET_HEADERS = new Set(["cookie", "set-cookie", "x-csrf-token"]);

/** Replaces secret fields at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : redact(v)]));
  }
  return value;
}

/** Headers with credentials removed; `authorization` keeps its scheme so tests can see which was used. */
function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name === "authorization") out[name] = `${value.split(/\s+/)[0] ?? ""} ${REDACTED}`;
    else out[name] = SECRET_HEADERS.has(name) ? REDACTED : value;
  });
  return out;
}

/** Parses a logged body for the record: JSON or form, else a size note. */
export function bodyForLog(contentType: string | null, text: string): unknown {
  if (text === "") return null;
  if ((contentType ?? "").includes("json")) {
    try {
      return redact(JSON.parse(text));
    } catch {
      return `[${text.length} bytes, invalid JSON]`;
    }
  }
  if ((contentType ?? "").includes("x-www-form-urlencoded") || contentType === null) return redact(Object.fromEntries(new URLSearchParams(text)));
  return `[${text.length} bytes of ${contentType}]`;
}

/** A bounded log: the oldest entries go first once `limit` is reached. */
export class RequestLog {
  private entries: EmulatorRecordedRequest[] = [];

  constructor(private readonly limit = 10_000) {}

  add(entry: {
    time: number;
    method: string;
    url: URL;
    route: EmulatorRoute | null;
    headers: Headers;
    body: unknown;
    status: number;
    fault: EmulatorFault | null;
  }): void {
    this.entries.push({
      time: entry.time,
      method: entry.method,
      path: entry.url.pathname,
      route: entry.route,
      query: Object.fromEntries([...entry.url.searchParams].map(([k, v]) => [k, SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : v])),
      headers: redactHeaders(entry.headers),
      body: entry.body,
      status: entry.status,
      fault: entry.fault,
    });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): EmulatorRecordedRequest[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}

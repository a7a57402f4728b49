/** Reading OAuth parameters and client credentials from a request, as GitHub accepts them. */

/** Parameters of a form or JSON body (string values only; anything else counts as absent). */
export type Params = Record<string, string>;

/**
 * The body's parameters: JSON when `content-type` says so, otherwise form-encoded (GitHub accepts
 * both). Query-string parameters are deliberately ignored: secrets do not belong in URLs.
 */
export function parseParams(contentType: string | undefined, text: string): Params | null {
  if (text.trim() === "") return {};
  if ((contentType ?? "").toLowerCase().includes("json")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    const out: Params = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
    return out;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** `Authorization: Basic base64(id:secret)`; the scheme is case-insensitive (RFC 7617 §2). */
export function parseBasicAuth(header: string | undefined): { id: string; secret: string } | null {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** A bearer token from `Authorization: Bearer X` or GitHub's older `token X` (scheme case-insensitive). */
export function parseTokenAuth(header: string | undefined): string | null {
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

/** The most the emulator reads of any request body: its largest real bodies (user seeds) are a few KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body as text, or `null` once it passes `maxBytes`: refused from a declared Content-Length
 * before reading, else cut off while it streams, so a huge body is never held in memory.
 *
 * @example
 * const text = await readBoundedText(request, MAX_BODY_BYTES);
 * if (text === null) return new Response(null, { status: 413 });
 */
export async function readBoundedText(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

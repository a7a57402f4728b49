/**
 * Token and device-code endpoint responses (docs/github-protocol.md §4, §5): read in any of the three
 * formats GitHub sends, whatever the Content-Type claims; an `error` field means failure whatever
 * the HTTP status (GitHub answers most errors with 200).
 */
import { GitHubOAuthError } from "./errors.js";
import { optInt, optStr, ShapeError, str } from "./fields.js";
import { parseScopes } from "./scopes.js";
import type { TokenSet } from "./types.js";
import type { WireResponse } from "./transport.js";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const cp = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** `<OAuth><access_token>…</access_token>…</OAuth>`: flat elements, text content only. */
function parseXml(text: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let found = false;
  for (const m of text.matchAll(/<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g)) {
    out[m[1]!] = decodeXml(m[2]!);
    found = true;
  }
  return found ? out : undefined;
}

/** Reads the body by sniffing it: JSON object, XML, else form-encoded. `undefined` if none fits. */
function parseOAuthBody(text: string): Record<string, unknown> | undefined {
  const body = text.trim();
  if (body.startsWith("{")) {
    try {
      const v: unknown = JSON.parse(body);
      return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  if (body.startsWith("<")) return parseXml(body);
  if (body === "" || !body.includes("=")) return undefined;
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * The fields of a successful OAuth response, or a thrown {@link GitHubOAuthError}: GitHub's
 * `error` (any status), `server_error` (5xx without one) or `invalid_response`.
 */
export function readOAuthResponse(res: WireResponse, operation: string): Record<string, unknown> {
  const body = parseOAuthBody(res.text);
  const error = body?.["error"];
  if (body && typeof error === "string" && error.length > 0) {
    let interval: number | undefined;
    try {
      interval = optInt(body, "interval");
    } catch {
      interval = undefined;
    }
    throw new GitHubOAuthError(error, {
      description: typeof body["error_description"] === "string" ? body["error_description"] : undefined,
      uri: typeof body["error_uri"] === "string" ? body["error_uri"] : undefined,
      status: res.status,
      interval,
    });
  }
  if (res.status >= 500) {
    throw new GitHubOAuthError("server_error", { status: res.status, message: `GitHub ${operation} answered ${res.status}` });
  }
  if (res.status < 200 || res.status > 299 || !body) {
    throw new GitHubOAuthError("invalid_response", {
      status: res.status,
      message: `GitHub ${operation} answered ${res.status} with a body that is not an OAuth response`,
    });
  }
  return body;
}

/** Runs `read` and turns a {@link ShapeError} into `invalid_response` naming the field. */
export function shapedOAuth<T>(operation: string, status: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ShapeError) {
      throw new GitHubOAuthError("invalid_response", { status, cause: err, message: `GitHub ${operation} answered with an invalid body: ${err.message}` });
    }
    throw err;
  }
}

/** A {@link TokenSet} from a successful body; a body without `access_token` is `invalid_response`. */
export function toTokenSet(body: Record<string, unknown>, receivedAt: number): TokenSet {
  const tokens: TokenSet = {
    accessToken: str(body, "access_token"),
    tokenType: optStr(body, "token_type") || "bearer",
    // Comma-separated on GitHub; spaces tolerated. Always a list, `[]` for `scope: ""`.
    scopes: parseScopes(optStr(body, "scope") ?? ""),
  };
  const expiresIn = optInt(body, "expires_in");
  if (expiresIn !== undefined) tokens.expiresAt = new Date(receivedAt + expiresIn * 1000);
  const refreshToken = optStr(body, "refresh_token");
  if (refreshToken) tokens.refreshToken = refreshToken;
  const refreshIn = optInt(body, "refresh_token_expires_in");
  if (refreshIn !== undefined) tokens.refreshTokenExpiresAt = new Date(receivedAt + refreshIn * 1000);
  return tokens;
}

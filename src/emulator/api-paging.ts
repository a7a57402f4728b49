/**
 * List pagination (`per_page`/`page`, the `Link` header) and conditional requests (`ETag`,
 * `304 Not Modified`) as api.github.com does them on the endpoints the description gives them.
 */
import { createHash } from "node:crypto";
import type { Core, EmulatorContext } from "./core.js";

/** GitHub's documented page size: 30 unless asked, at most 100. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/**
 * One page of `items` and the `Link` header for it (rel `prev`, `next`, `last`, `first` in the
 * order GitHub sends them; none when everything fits in one page). Links keep the request's
 * query and set `page`, on the emulator's public origin.
 */
export function paginate<T>(c: EmulatorContext, core: Core, items: readonly T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(positiveInt(c.req.query("per_page")) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const page = positiveInt(c.req.query("page")) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const url = new URL(c.req.url);
  const link = (n: number, rel: string) => {
    const target = new URL(`${url.pathname}${url.search}`, core.origin(c.req.url));
    target.searchParams.set("page", String(n));
    return `<${target.href}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(Math.min(page - 1, lastPage), "prev"));
  if (page < lastPage) parts.push(link(page + 1, "next"), link(lastPage, "last"));
  if (page > 1) parts.push(link(1, "first"));
  return { page: slice, headers: parts.length > 0 ? { link: parts.join(", ") } : {} };
}

/** Whether an `If-None-Match` value names `etag` (weak comparison, `*` matches all). */
function matches(ifNoneMatch: string, etag: string): boolean {
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

/**
 * A 200 JSON answer with GitHub's validators and caching headers, or `304` with no body when the
 * request's `If-None-Match` names the same representation. `notModified` runs on a 304 (GitHub
 * does not count an authorised 304 against the rate limit).
 */
export function conditionalJson(c: EmulatorContext, body: unknown, headers: Record<string, string>, notModified: () => void): { status: 200 | 304; body: unknown; headers: Record<string, string> } {
  const text = JSON.stringify(body);
  const etag = `W/"${createHash("sha256").update(text).digest("hex")}"`;
  const all = { ...headers, etag, "cache-control": "private, max-age=60, s-maxage=60", vary: "Accept, Authorization, Cookie, X-GitHub-OTP" };
  const asked = c.req.header("if-none-match");
  if (asked !== undefined && matches(asked, etag)) {
    notModified();
    return { status: 304, body: null, headers: all };
  }
  return { status: 200, body, headers: all };
}

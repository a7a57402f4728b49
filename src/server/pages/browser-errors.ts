/**
 * Errors a person meets in a browser, as pages: outside `/api/`, a problem+json answer to a request
 * that accepts HTML (a mistyped address, a form refused by the Origin check, a bad `return_to`)
 * becomes a page with a sentence and a way onward. API clients keep problem+json.
 */
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.js";
import { asSentence, messagePage } from "./message-page.js";

const TITLES: Record<number, string> = {
  400: "This request cannot be used",
  403: "Not allowed",
  404: "Page not found",
  405: "Not allowed",
  413: "Too large",
  415: "This form cannot be used",
  429: "Too many attempts",
  503: "Temporarily unavailable",
};

function acceptsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}

/** The sentence for a problem: the service's own detail, in words a person reads. */
function sentence(code: string, detail: string, path: string, publicUrl: URL, origin: string | undefined): string {
  if (code === "not_found") return `There is no page at ${path}.`;
  if (code === "origin_mismatch") {
    // The common way to meet this: the site opened at another address than its configured one
    // (localhost vs 127.0.0.1, another port), so the browser's Origin differs.
    return origin && origin !== "null"
      ? `This form was sent from ${origin}, but this site is ${publicUrl.origin}. Open ${publicUrl.origin} and try again.`
      : `This form could not be checked as coming from this site. Open ${publicUrl.origin} and try again.`;
  }
  return asSentence(detail);
}

/**
 * Middleware (registered before the Origin check, so it also sees its refusals).
 *
 * @example
 * app.use(browserErrorPages(deps.publicUrl));
 */
export function browserErrorPages(publicUrl: URL): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.req.path.startsWith("/api/") || !acceptsHtml(c.req.header("accept"))) return;
    if (!(c.res.headers.get("content-type") ?? "").startsWith("application/problem+json")) return;
    let problem: { status?: unknown; code?: unknown; detail?: unknown };
    try {
      problem = (await c.res.clone().json()) as typeof problem;
    } catch {
      return;
    }
    const status = c.res.status as ContentfulStatusCode;
    const code = typeof problem.code === "string" ? problem.code : "";
    const detail = typeof problem.detail === "string" ? problem.detail : "";
    const auth = c.get("auth");
    const retryAfter = c.res.headers.get("retry-after");
    c.res = messagePage(c, publicUrl, {
      title: TITLES[status] ?? "Something went wrong",
      text: sentence(code, detail, c.req.path, publicUrl, c.req.header("origin")),
      status,
      auth,
      ...(auth ? {} : { next: { href: "/login", label: "Go to the sign-in page" } }),
    });
    if (retryAfter !== null) c.res.headers.set("retry-after", retryAfter);
  });
}

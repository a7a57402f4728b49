/**
 * The pages' icon. Without one, browsers ask for `/favicon.ico` on every page and log a 404. The
 * pages link the SVG (allowed by the CSP's `img-src 'self'`); `/favicon.ico`, still requested by
 * browsers on the JSON API's URLs, answers 204: no icon there, and no error either.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../env.js";

/** Where the icon is served. */
export const FAVICON_PATH = "/favicon.svg";

// A gate: two posts and an arch, in the pages' accent blue.
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0969da"/><path d="M8 26V13a8 8 0 0 1 16 0v13h-4V13a4 4 0 0 0-8 0v13z" fill="#fff"/></svg>`;

/**
 * Adds `GET /favicon.svg` and `GET /favicon.ico`.
 *
 * @example
 * faviconRoutes(app); // then link it: <link rel="icon" href="/favicon.svg" type="image/svg+xml">
 */
export function faviconRoutes(app: Hono<AppEnv>): void {
  const cache = "public, max-age=86400";
  app.get(FAVICON_PATH, (c) =>
    c.body(FAVICON_SVG, 200, { "content-type": "image/svg+xml", "x-content-type-options": "nosniff", "cache-control": cache }));
  app.get("/favicon.ico", (c) => c.body(null, 204, { "cache-control": cache }));
}

/**
 * Server-rendered pages (`/login`, `/account`, `/admin/users`): owned by the pages work, which
 * replaces this placeholder. `createApp` calls `registerPages` after the API routes, with the
 * session middleware and the Origin check already in place. See docs/service-internals.md.
 */
import type { Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.js";

/** Adds the page routes to the app. */
export function registerPages(_app: Hono<AppEnv>, _deps: ServerDeps): void {}

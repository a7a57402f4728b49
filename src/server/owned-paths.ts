/**
 * Which requests the app answers itself, so a host app mounting it sees every other request
 * untouched (body unread). Derived from the app's own route table: a new route is owned without
 * a second list to keep in step.
 */
import type { Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";

/** A `(method, path) → owned?` test over the routes of `app` (middleware — `ALL` routes — excluded). */
export function ownedPaths(app: Pick<Hono, "routes">): (method: string, path: string) => boolean {
  const router = new TrieRouter<true>();
  for (const route of app.routes) {
    if (route.method !== "ALL") router.add(route.method, route.path, true);
  }
  // HEAD is answered by the GET route, as Hono does.
  return (method, path) => router.match(method === "HEAD" ? "GET" : method.toUpperCase(), path)[0].length > 0;
}

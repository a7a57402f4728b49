/**
 * Gatehouse under a base path (`GATEHOUSE_PUBLIC_URL=https://example.com/auth-service`): the app
 * keeps its routes at `/login`, `/auth/github`...; this layer strips the base path from requests
 * and puts it back on what the app sends out — `Location` headers and the paths in its pages'
 * links and forms — so no route or page needs to know where it is mounted. `return_to` is always
 * a path as the browser sees it (it may name a host-app page outside the base path): the routes
 * send it as an absolute URL under a base path, which this layer leaves alone.
 */

/**
 * The base path of a public URL: `""` at the root, else its path without a trailing slash.
 *
 * @example
 * basePathOf(new URL("https://example.com/auth-service/")); // "/auth-service"
 */
export function basePathOf(publicUrl: URL): string {
  return publicUrl.pathname.replace(/\/+$/, "");
}

/** The app's own path for a path as the browser sent it, or `undefined` when it lies outside the base path. */
export function innerPath(basePath: string, path: string): string | undefined {
  if (basePath === "") return path;
  if (path === basePath) return "/";
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
}

/** A path the app wrote (`/login`), as the browser must see it; absolute URLs and `//` stay as they are. */
function outerPath(basePath: string, value: string): string {
  return value.startsWith("/") && !value.startsWith("//") ? `${basePath}${value}` : value;
}

/**
 * Where to send the browser for a `return_to` (a path as the browser sees it, or an allowed
 * absolute URL): under a base path, an absolute URL, so the path is not taken for one of the
 * app's own and prefixed.
 *
 * @example
 * returnLocation("/auth-service", new URL("https://example.com/auth-service"), "/app"); // "https://example.com/app"
 */
export function returnLocation(basePath: string, publicUrl: URL, returnTo: string): string {
  return basePath === "" || !returnTo.startsWith("/") ? returnTo : new URL(returnTo, publicUrl.origin).toString();
}

/**
 * Wraps the app's fetch: requests outside the base path get `outside()`; the rest reach the app
 * with the base path stripped, and its answer gets the base path back on its paths.
 *
 * @example
 * const fetch = mountAt("/auth-service", app.fetch, () => new Response(null, { status: 404 }));
 */
export function mountAt<E>(
  basePath: string,
  fetch: (request: Request, env: E) => Promise<Response>,
  outside: (request: Request) => Response,
): (request: Request, env: E) => Promise<Response> {
  if (basePath === "") return fetch;
  return async (request, env) => {
    const url = new URL(request.url);
    const inner = innerPath(basePath, url.pathname);
    if (inner === undefined) return outside(request);
    url.pathname = inner;
    const res = await fetch(new Request(url, request), env);
    const headers = new Headers(res.headers);
    const location = headers.get("location");
    if (location !== null) headers.set("location", outerPath(basePath, location));
    if (!(headers.get("content-type") ?? "").startsWith("text/html") || res.body === null) {
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
    }
    // Pages are small and built by the app's own templates, whose interpolations are escaped:
    // an attribute opening `href="/` can only be the template's own.
    const page = (await res.text()).replace(/(\s(?:href|action|src)=")(\/(?!\/))/g, (_m, attr: string, slash: string) => `${attr}${basePath}${slash}`);
    headers.delete("content-length");
    return new Response(page, { status: res.status, statusText: res.statusText, headers });
  };
}

/** The sign-in page's address with a `return_to`, for guards and `/auth/check`. */

/**
 * The absolute URL of the sign-in page under `publicUrl` (its path, if any, kept), returning to
 * `returnTo` afterwards.
 *
 * @example
 * loginUrl(new URL("https://example.com/auth"), "/docs"); // "https://example.com/auth/login?return_to=%2Fdocs"
 */
export function loginUrl(publicUrl: URL, returnTo: string | undefined): string {
  const url = new URL(`${publicUrl.pathname.replace(/\/+$/, "")}/login`, publicUrl);
  if (returnTo !== undefined) url.searchParams.set("return_to", returnTo);
  return url.toString();
}

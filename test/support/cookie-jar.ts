/**
 * The one cookie jar of the test clients (the service's API browser, the pages' form client, the
 * emulator's page driver): what a browser keeps for one site, as a Map of name → value.
 */
export class CookieJar extends Map<string, string> {
  /** The `Cookie` request header for what the jar holds, or `undefined` when it is empty. */
  header(): string | undefined {
    return this.size === 0 ? undefined : [...this].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Keeps a response's `Set-Cookie` headers; an empty value or `Max-Age=0` deletes the cookie. */
  store(res: Response): void {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0\b/i.test(cookie)) this.delete(name);
      else this.set(name, value);
    }
  }
}

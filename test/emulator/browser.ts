/** A tiny cookie-keeping "browser" for driving the emulator's pages with fetch in tests. */
import { CookieJar } from "../support/cookie-jar.js";

export interface Form {
  action: string;
  fields: Record<string, string>;
  /** Submit buttons: accessible name (text) → [name, value]. */
  buttons: Map<string, [string, string]>;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The forms of a page: hidden fields and named submit buttons. */
export function forms(html: string): Form[] {
  return [...html.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)].map((m) => {
    const body = m[2] ?? "";
    const fields: Record<string, string> = {};
    for (const f of body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[decode(f[1] ?? "")] = decode(f[2] ?? "");
    const buttons = new Map<string, [string, string]>();
    for (const b of body.matchAll(/<button[^>]*?name="([^"]*)" value="([^"]*)">([^<]*)<\/button>/g)) buttons.set(decode(b[3] ?? ""), [decode(b[1] ?? ""), decode(b[2] ?? "")]);
    return { action: decode(m[1] ?? ""), fields, buttons };
  });
}

export class Browser {
  private readonly cookies = new CookieJar();

  constructor(private readonly origin: string) {}

  /** One request, no redirect following; keeps cookies. */
  async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookies.header();
    if (cookie !== undefined) headers.set("cookie", cookie);
    const res = await fetch(new URL(pathOrUrl, this.origin), { ...init, headers, redirect: "manual" });
    this.cookies.store(res);
    return res;
  }

  /** Follows same-origin redirects; stops at the first page or at a redirect off the emulator. */
  async go(pathOrUrl: string, init: RequestInit = {}): Promise<{ res: Response; html: string; location: URL | null }> {
    let res = await this.request(pathOrUrl, init);
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const location = new URL(res.headers.get("location") ?? "", this.origin);
      if (location.origin !== this.origin) return { res, html: "", location };
      res = await this.request(location.href);
    }
    return { res, html: await res.text(), location: null };
  }

  /** Clicks the submit button with this accessible name in the page's forms. */
  async click(html: string, buttonName: string, extra: Record<string, string> = {}) {
    const form = forms(html).find((f) => f.buttons.has(buttonName) || (buttonName === "" && f.buttons.size === 0));
    if (!form) throw new Error(`no button named '${buttonName}' on the page`);
    const button = form.buttons.get(buttonName);
    const body = new URLSearchParams({ ...form.fields, ...extra, ...(button ? { [button[0]]: button[1] } : {}) });
    return this.go(form.action, { method: "POST", body });
  }
}

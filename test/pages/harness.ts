/**
 * The stack the page tests (HTTP level and in Chromium) run against: the GitHub emulator and the
 * users service as real servers on port 0 on 127.0.0.1, a SQLite file in a temp folder, an admin
 * and a user with passwords. Plus a cookie-keeping form client for the HTTP-level tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatehouseConfig } from "../../src/index.js";
import { startStack } from "../server/harness.js";
import type { Stack } from "../server/harness.js";
import { CookieJar } from "../support/cookie-jar.js";

export const ADMIN = { username: "root", password: "admin-pass-123" };
export const MEMBER = { username: "mia", password: "member-pass-123" };

/** The service's test stack (`test/server/harness.ts`: emulator users alice, bob, carol, newbie). */
export type PageStack = Stack;

/** Starts the emulator and the service on a SQLite file; seeds {@link ADMIN} and {@link MEMBER}. */
export async function startPageStack(config: Partial<Pick<GatehouseConfig, "loginLimits" | "policy">> = {}): Promise<PageStack> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-pages-"));
  const stack = await startStack({ database: `sqlite:${join(dir, "pages.db")}`, config, app: { name: "Gatehouse" } });
  await stack.gatehouse.users.create({ username: ADMIN.username, role: "admin", password: ADMIN.password, name: "Root Admin" });
  await stack.gatehouse.users.create({ username: MEMBER.username, role: "user", password: MEMBER.password, name: "Mia Member", email: "mia@example.com" });
  return {
    ...stack,
    async close() {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page's response, its body read once. */
export interface Page {
  status: number;
  headers: Headers;
  html: string;
  /** `Location` resolved against the service, for redirects. */
  location: string | undefined;
}

/**
 * A form-posting client: a cookie jar, no automatic redirects, `Origin` on posts like a browser
 * (override with `origin: null` to leave it out, as some privacy proxies do).
 */
export class FormClient {
  readonly cookies = new CookieJar();
  constructor(readonly origin: string, readonly userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0") {}

  async get(path: string): Promise<Page> {
    return this.#send(path, { method: "GET" });
  }

  async post(path: string, fields: Record<string, string>, options: { origin?: string | null; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...options.headers };
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) headers["origin"] = origin;
    return this.#send(path, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
  }

  /** Signs in with the password form; throws unless it lands on a redirect. */
  async signIn(username: string, password: string): Promise<Page> {
    const page = await this.post("/login", { username, password, return_to: "/account" });
    if (page.status !== 303) throw new Error(`sign-in failed: ${page.status}`);
    return page;
  }

  async #send(path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set("user-agent", this.userAgent);
    const cookie = this.cookies.header();
    if (cookie !== undefined) headers.set("cookie", cookie);
    const res = await fetch(new URL(path, this.origin), { method: init.method, headers, body: init.body ?? null, redirect: "manual" });
    this.cookies.store(res);
    const location = res.headers.get("location");
    return { status: res.status, headers: res.headers, html: await res.text(), location: location === null ? undefined : new URL(location, this.origin).toString() };
  }
}

/** The CSRF token in a page's forms. */
export function csrfOf(html: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token on the page");
  return m[1];
}

/** The visible text of a page (tags dropped, entities decoded), for "what a person reads" checks. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style|title)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** Accounts in the service tests: a signed-in password user, and the account page's forms posted as its buttons do. */
import assert from "node:assert/strict";
import type { Browser, Stack } from "./harness.js";
import { csrfOf } from "../pages/harness.js";

export const TEST_PASSWORD = "correct horse battery";

/** Creates `username` with a password and signs in over the API; returns that browser. */
export async function passwordUser(stack: Stack, username: string): Promise<Browser> {
  await stack.gatehouse.users.create({ username, password: TEST_PASSWORD });
  const browser = stack.browser();
  const res = await browser.fetch("/api/users/login", { method: "POST", json: { username, password: TEST_PASSWORD } });
  assert.equal(res.status, 200);
  return browser;
}

/** Posts a form of the account page (e.g. `/account/link/gitlab`) with the page's CSRF token and `fields`. */
export async function postAccountForm(browser: Browser, path: string, fields: Record<string, string> = {}): Promise<Response> {
  const page = await browser.fetch("/account", { headers: { accept: "text/html" } });
  const csrf = csrfOf(await page.text());
  return browser.fetch(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ csrf_token: csrf, ...fields }).toString(),
  });
}

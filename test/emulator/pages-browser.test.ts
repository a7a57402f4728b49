/**
 * The emulator's pages in a real browser (Chromium via playwright-core), driven by role and name
 * the way the users service's browser tests will drive them.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { DEFAULT_APP, startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { LOW_CONTRAST_TEXT } from "../browser/chromium.js";

const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
const ci = process.env["CI"] === "true" || process.env["CI"] === "1";
const skip = executablePath === undefined && !ci ? "Chromium is not installed (apt-get install chromium)" : false;

let gh: GitHubEmulatorHandle;
let browser: Browser;
const app = createServer((req, res) => res.end(`callback ${req.url ?? ""}`));

before(async () => {
  if (skip) return;
  gh = await startGitHubEmulator();
  browser = await chromium.launch(executablePath === undefined ? {} : { executablePath });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
});
after(async () => {
  if (skip) return;
  await browser.close();
  await gh.close();
  app.close();
});

test("web flow in a browser: pick the account by its login, Authorize <app name>, land on the callback with code, state, iss", { skip }, async () => {
  const page = await browser.newPage();
  const callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/auth/callback`;
  const authorize = `${gh.url}/login/oauth/authorize?${new URLSearchParams({ client_id: DEFAULT_APP.clientId, redirect_uri: callback, state: "browser-state", scope: "read:org" })}`;
  await page.goto(authorize);
  assert.equal(await page.getByRole("heading", { name: "Select an account" }).count(), 1);
  await page.getByRole("button", { name: "monalisa", exact: true }).click();
  await page.getByRole("heading", { name: "Authorize Gatehouse Dev" }).waitFor();
  assert.equal(await page.getByText("read:org", { exact: true }).count(), 1);
  await page.getByRole("button", { name: "Authorize Gatehouse Dev" }).click();
  await page.waitForURL((u) => u.pathname === "/auth/callback");
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get("state"), "browser-state");
  assert.equal(landed.searchParams.get("iss"), gh.issuer);
  assert.match(landed.searchParams.get("code") ?? "", /^[0-9a-f]{20}$/);
  await page.close();
});

test("device page in a browser: account, labelled code field, Continue, Authorize; the poll gets a token", { skip }, async () => {
  const res = await fetch(`${gh.url}/login/device/code`, { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ client_id: DEFAULT_APP.clientId }) });
  const device = (await res.json()) as { device_code: string; user_code: string; verification_uri: string };
  const page = await browser.newPage();
  await page.goto(device.verification_uri);
  await page.getByRole("button", { name: "hubot", exact: true }).click();
  await page.getByLabel("Enter the code displayed on your device").fill(device.user_code);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Authorize Gatehouse Dev" }).click();
  await page.getByRole("heading", { name: "Congratulations, you're all set!" }).waitFor();
  const token = await fetch(`${gh.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json" },
    body: new URLSearchParams({ client_id: DEFAULT_APP.clientId, device_code: device.device_code, grant_type: "urn:ietf:params:oauth:grant-type:device_code" }),
  });
  assert.match(String(((await token.json()) as Record<string, unknown>)["access_token"]), /^gho_/);
  await page.close();
});

test("the emulator's pages follow the device's dark setting with AA contrast, and keep off the screen's edges at phone width", { skip }, async () => {
  const callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/auth/callback`;
  const paths = [
    `/login/oauth/authorize?${new URLSearchParams({ client_id: DEFAULT_APP.clientId, redirect_uri: callback, state: "s", scope: "read:org" })}`,
    "/login/device",
    "/octocat",
  ];
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme });
    const page = await context.newPage();
    for (const path of paths) {
      await page.goto(`${gh.url}${path}`);
      const where = `${colorScheme} ${path}`;
      assert.deepEqual(await page.evaluate(LOW_CONTRAST_TEXT), [], where);
      const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
      assert.equal(background, colorScheme === "dark" ? "rgb(13, 17, 23)" : "rgb(246, 248, 250)", where);
      const box = await page.locator("main").boundingBox();
      assert.ok(box && box.x >= 8 && box.x + box.width <= 390 - 8, `${where}: main at ${JSON.stringify(box)}`);
      assert.ok((await page.evaluate("document.documentElement.scrollWidth")) as number <= 390, `${where}: no sideways scrolling`);
    }
    await context.close();
  }
});

test("a browser following a profile link sees the emulator's HTML profile page, with no failed request (favicon included)", { skip }, async () => {
  const page = await browser.newPage();
  const failed: string[] = [];
  page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${gh.url}/octocat`);
  assert.equal(await page.getByRole("heading", { name: "octocat" }).count(), 1);
  assert.equal(await page.getByText("This is the local GitHub emulator", { exact: false }).count(), 1);
  assert.equal(await page.locator("img").evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), true, "the avatar loads");
  assert.deepEqual(failed, []);
  await page.close();
});

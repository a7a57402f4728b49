/**
 * The pages in a real browser (Chromium): GitHub sign-in through the emulator's account picker and
 * consent page, cancelling at GitHub, password sign-in and sign-out, an admin disabling a user
 * whose open page is then signed out, and revoking a session. One browser for the file; one
 * context (a separate cookie jar) per person.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN, startPageStack } from "../pages/harness.js";
import type { PageStack } from "../pages/harness.js";
import { launchChromium, LOW_CONTRAST_TEXT, screenshot, skipReason } from "./chromium.js";

const skip = skipReason;
let stack: PageStack;
let browser: Browser;
let n = 0;

before(async () => {
  if (skip) return;
  [stack, browser] = await Promise.all([startPageStack(), launchChromium()]);
});
after(async () => {
  if (skip) return;
  await browser?.close();
  await stack?.close();
});

async function newPage(options: { phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options.phone
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
    : { viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(10_000);
  return { context, page: await context.newPage() };
}

async function passwordSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${stack.url}/account`);
}

async function freshUser(): Promise<{ username: string; password: string }> {
  const username = `web${++n}`;
  const password = `web-pass-${n}-123`;
  await stack.gatehouse.users.create({ username, role: "user", password, name: `Web User ${n}` });
  return { username, password };
}

test("(1) sign in with GitHub: the emulator's account picker and consent page, then /account shows the GitHub login", { skip }, async () => {
  const { context, page } = await newPage();
  await page.goto(`${stack.url}/login`);
  await screenshot(page, "login");
  await page.getByRole("link", { name: "Sign in with GitHub" }).click();
  await page.getByRole("heading", { name: "Select an account" }).waitFor();
  await screenshot(page, "emulator-account-picker");
  await page.getByRole("button", { name: "alice", exact: true }).click();
  const consent = page.getByRole("heading", { name: /^Authorize / });
  await consent.waitFor();
  await screenshot(page, "emulator-consent");
  assert.match(await page.locator("main").innerText(), /user:email/, "the consent page names the scopes");
  await page.getByRole("button", { name: /^Authorize / }).click();
  await page.waitForURL(`${stack.url}/account`);
  assert.equal(await page.getByRole("heading", { name: "Your account" }).count(), 1);
  const profile = page.getByRole("link", { name: "alice", exact: true });
  // The GitHub the service signs in with: here the emulator.
  assert.equal(await profile.getAttribute("href"), `${stack.gh.url}/alice`);
  assert.match(await page.locator("main").innerText(), /Signed in with GitHub/i);
  await screenshot(page, "account");

  // The same pages at a phone's width: no sideways scrolling.
  const phone = await newPage({ phone: true });
  await phone.context.addCookies(await context.cookies(stack.url));
  for (const [path, name] of [["/account", "account-phone"], ["/login?error=access_denied", "login-phone"]] as const) {
    await phone.page.goto(`${stack.url}${path}`);
    await screenshot(phone.page, name);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 390px`);
  }
  await phone.context.close();
  await context.close();
});

test("(2) cancel at GitHub: back on /login with a sentence saying so", { skip }, async () => {
  const { context, page } = await newPage();
  await page.goto(`${stack.url}/login`);
  await page.getByRole("link", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: "bob", exact: true }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.waitForURL((u) => u.pathname === "/login");
  const alert = await page.getByRole("alert").innerText();
  assert.match(alert, /You cancelled the sign-in at GitHub, so you were not signed in\./);
  assert.doesNotMatch(alert, /access_denied/);
  assert.equal(await page.getByRole("link", { name: "Sign in with GitHub" }).count(), 1, "and can try again");
  await context.close();
});

test("(3) password sign-in, then sign out", { skip }, async () => {
  const user = await freshUser();
  const { context, page } = await newPage();
  await passwordSignIn(page, user.username, user.password);
  assert.match(await page.locator("main").innerText(), new RegExp(`Web User ${n}\\s+@${user.username}`));
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/login");
  assert.match(await page.getByRole("status").innerText(), /You have signed out\./);
  await page.goto(`${stack.url}/account`);
  assert.equal(new URL(page.url()).pathname, "/login", "signed out for real");
  await context.close();
});

test("(4) an admin disables a user on /admin/users; that user's open page is signed out at its next request", { skip }, async () => {
  const user = await freshUser();
  const victim = await newPage();
  await passwordSignIn(victim.page, user.username, user.password);

  const admin = await newPage();
  await passwordSignIn(admin.page, ADMIN.username, ADMIN.password);
  await admin.page.getByRole("link", { name: "Users" }).click();
  await admin.page.getByLabel("Search users").fill(user.username);
  await admin.page.getByRole("button", { name: "Search" }).click();
  await screenshot(admin.page, "admin-users");
  await admin.page.getByRole("link", { name: `Disable ${user.username}` }).click();
  await admin.page.getByRole("heading", { name: `Disable ${user.username}?` }).waitFor();
  await screenshot(admin.page, "admin-confirm");
  await admin.page.getByRole("button", { name: `Disable ${user.username}` }).click();
  await admin.page.waitForURL((u) => u.pathname === "/admin/users");
  assert.match(await admin.page.getByRole("status").innerText(), new RegExp(`${user.username} is disabled`));
  assert.match(await admin.page.getByRole("row", { name: new RegExp(user.username) }).innerText(), /Disabled/);
  const phone = await newPage({ phone: true });
  await phone.context.addCookies(await admin.context.cookies(stack.url));
  await phone.page.goto(admin.page.url());
  await screenshot(phone.page, "admin-users-phone");
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), "no sideways scrolling at 390px");
  await phone.context.close();

  // The user's page is still open; the next thing they do (here: save their profile) finds them signed out.
  await victim.page.getByLabel("Name").fill("Still here?");
  await victim.page.getByRole("button", { name: "Save profile" }).click();
  await victim.page.waitForURL((u) => u.pathname === "/login");
  assert.match(await victim.page.getByRole("status").innerText(), /Your session has ended/);
  assert.equal((await stack.gatehouse.users.getByUsername(user.username)).name, `Web User ${n}`, "nothing was saved");
  await victim.context.close();
  await admin.context.close();
});

test("(5) revoke a session from /account: the other browser is signed out", { skip }, async () => {
  const user = await freshUser();
  const laptop = await newPage();
  const other = await newPage();
  await passwordSignIn(other.page, user.username, user.password);
  await passwordSignIn(laptop.page, user.username, user.password);
  await laptop.page.reload();
  const sessions = laptop.page.getByRole("region", { name: "Active sessions" });
  assert.equal(await sessions.getByText("This device", { exact: true }).count(), 1);
  const revoke = sessions.getByRole("button", { name: /^Revoke / });
  assert.equal(await revoke.count(), 1);
  await revoke.click();
  await laptop.page.waitForURL(`${stack.url}/account?saved=revoked`);
  assert.match(await laptop.page.getByRole("status").innerText(), /That session was signed out\./);
  assert.equal(await sessions.getByRole("button", { name: /^Revoke / }).count(), 0);

  await other.page.reload();
  assert.equal(new URL(other.page.url()).pathname, "/login", "the revoked browser is signed out");
  await laptop.page.reload();
  assert.equal(new URL(laptop.page.url()).pathname, "/account", "this one is not");
  await laptop.context.close();
  await other.context.close();
});

test("every text on the pages is readable: WCAG AA contrast (4.5:1) in the light and the dark theme, danger buttons included", { skip }, async () => {
  await stack.gatehouse.users.create({ username: "contrast", role: "user" });
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, colorScheme });
    const page = await context.newPage();
    await passwordSignIn(page, ADMIN.username, ADMIN.password);
    for (const path of ["/login?error=not_invited", "/account?saved=profile", "/admin/users?done=created&user=contrast", "/admin/users/contrast/delete", "/admin/users/contrast/make-admin"]) {
      await page.goto(`${stack.url}${path}`);
      assert.deepEqual(await page.evaluate(LOW_CONTRAST_TEXT), [], `${colorScheme} ${path}`);
    }
    await context.close();
  }
});

test("the pages carry no script and their CSP blocks one injected inline, so a markup injection cannot run code", { skip }, async () => {
  const { context, page } = await newPage();
  const refused: string[] = [];
  page.on("console", (m) => { if (/Content Security Policy/.test(m.text())) refused.push(m.text()); });
  await passwordSignIn(page, ADMIN.username, ADMIN.password);
  for (const path of ["/login?error=access_denied", "/account", "/admin/users"]) {
    await page.goto(`${stack.url}${path}`);
    assert.equal(await page.locator("script").count(), 0, `${path} needs no script`);
    const ran = await page.evaluate(`(() => {
      const s = document.createElement("script");
      s.textContent = "document.body.dataset.ran = 'yes'";
      document.head.append(s);
      return document.body.dataset.ran ?? "no";
    })()`);
    assert.equal(ran, "no", `${path}: an inline script ran`);
  }
  // Console events come over the DevTools connection, after the evaluate that caused them.
  for (let i = 0; i < 50 && refused.length < 3; i++) await page.waitForTimeout(20);
  assert.equal(refused.length, 3, "the browser reports each refused inline script");
  await context.close();
});

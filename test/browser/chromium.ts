/**
 * Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded browser).
 * Missing Chromium fails the run in CI and skips it, with the reason printed, elsewhere.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";

const EXECUTABLE = "/usr/bin/chromium";

/** `false` when the browser tests can run; else why they are skipped (never in CI). */
export const skipReason: string | false = (() => {
  if (existsSync(EXECUTABLE)) return false;
  if (process.env["CI"] === "true") return false; // launching then fails loudly, as CI must
  const reason = `${EXECUTABLE} is not installed (apt-get install chromium); browser tests skipped`;
  console.log(`# ${reason}`);
  return reason;
})();

/**
 * Launches Chromium headless, without the sandbox (containers) and without any background traffic.
 *
 * @example
 * const browser = await launchChromium();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: EXECUTABLE,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Where screenshots go (git-ignored): `test-results/screenshots/` at the repository root. */
export const SCREENSHOTS = resolve(import.meta.dirname, "../../test-results/screenshots");

/** Saves a full-page screenshot as `test-results/screenshots/NAME.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

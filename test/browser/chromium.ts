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

/** Text whose colour contrasts less than WCAG AA's 4.5:1 with the background behind it (a string: tsx would rename inner functions). */
export const LOW_CONTRAST_TEXT = `(() => {
  const rgba = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m[3] ?? 1 }; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join("");
    if (text === "" || el.getClientRects().length === 0 || el.closest(".visually-hidden")) continue;
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (let up = el; up; up = up.parentElement) { const b = rgba(getComputedStyle(up).backgroundColor); if (b.a > 0) { bg = b; break; } }
    const [x, y] = [lum(rgba(getComputedStyle(el).color)), lum(bg)];
    const ratio = (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    if (ratio < 4.5) low.push(text.slice(0, 40) + " (" + ratio.toFixed(2) + ":1)");
  }
  return low;
})()`;

/** The spinner (animated on a terminal only) and the browser opener (only with a desktop, http(s) only). */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startSpinner } from "../../src/cli/spinner.js";
import { openBrowser } from "../../src/cli/open-browser.js";

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, out: { isTTY, write: (s: string) => written.push(s) > 0 } };
}

test("spinner: plain lines without carriage returns when the output is not a terminal (logs, pipes)", () => {
  const { written, out } = output(false);
  const s = startSpinner("Waiting", out, {});
  s.update("Waiting");
  s.update("Retrying");
  s.stop();
  assert.deepEqual(written, ["Waiting\n", "Retrying\n"]);
});

test("spinner: animates on a terminal, hides the cursor, and clears the line and restores the cursor on stop", async () => {
  const { written, out } = output(true);
  const s = startSpinner("Waiting", out, { TERM: "xterm" });
  await sleep(200);
  s.stop();
  s.stop();
  const text = written.join("");
  assert.ok(text.startsWith("\x1b[?25l"));
  assert.ok(written.filter((w) => w.startsWith("\r\x1b[2K") && w.endsWith(" Waiting")).length >= 2, "redrawn as it spins");
  assert.ok(text.endsWith("\r\x1b[2K\x1b[?25h"));
  const count = written.length;
  await sleep(200);
  assert.equal(written.length, count, "nothing drawn after stop");
});

test("spinner: TERM=dumb gets plain lines", () => {
  const { written, out } = output(true);
  startSpinner("Waiting", out, { TERM: "dumb" }).stop();
  assert.deepEqual(written, ["Waiting\n"]);
});

test("openBrowser: xdg-open with the URL when there is a display; nothing without one, nothing for non-http URLs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-open-"));
  dirs.push(dir);
  const record = join(dir, "opened.txt");
  // A stand-in xdg-open on PATH that records what it was asked to open. The record is written aside
  // and renamed: it exists only once it holds the whole URL (the shell creates a file before printf fills it).
  writeFileSync(join(dir, "xdg-open"), `#!/bin/sh\nprintf '%s' "$1" > '${record}.tmp' && mv '${record}.tmp' '${record}'\n`);
  chmodSync(join(dir, "xdg-open"), 0o755);
  const path = `${dir}:${process.env["PATH"] ?? ""}`;
  const prevPath = process.env["PATH"];
  process.env["PATH"] = path;
  try {
    assert.equal(openBrowser("https://github.com/login/device", "linux", { PATH: path }), false, "no DISPLAY/WAYLAND_DISPLAY: a server or SSH session");
    assert.equal(openBrowser("file:///etc/passwd", "linux", { DISPLAY: ":0" }), false);
    assert.equal(openBrowser("--help", "linux", { DISPLAY: ":0" }), false);
    assert.equal(existsSync(record), false);
    assert.equal(openBrowser("https://github.com/login/device?x=1&y=2", "linux", { DISPLAY: ":0" }), true);
    for (let i = 0; i < 100 && !existsSync(record); i++) await sleep(20);
    assert.equal(readFileSync(record, "utf8"), "https://github.com/login/device?x=1&y=2");
  } finally {
    process.env["PATH"] = prevPath;
  }
});

test("openBrowser never fails when the opener is missing (ENOENT is handled, not an uncaught error event)", async () => {
  const prevPath = process.env["PATH"];
  process.env["PATH"] = "/nonexistent";
  try {
    assert.equal(openBrowser("https://example.com/", "linux", { DISPLAY: ":0" }), true);
  } finally {
    process.env["PATH"] = prevPath;
  }
  await sleep(200); // an unhandled 'error' would crash this process here
});

/** The `html` helper escapes by default; pieces render as a person expects. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, html, safeUrl } from "../../src/server/pages/html.js";
import { deviceName } from "../../src/server/pages/device-name.js";
import { timeAgo } from "../../src/server/pages/time-ago.js";

test("html escapes every interpolated string, in text and in attributes", () => {
  const evil = `"><script>alert('x')</script>&`;
  assert.equal(
    html`<p title="${evil}">${evil}</p>`.toString(),
    `<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>`,
  );
  assert.equal(escapeHtml("a&b"), "a&amp;b");
});

test("html nests templates without double escaping; lists join; false, null and undefined render nothing", () => {
  const items = ["<a>", "b"].map((x) => html`<li>${x}</li>`);
  assert.equal(html`<ul>${items}</ul>${false}${null}${undefined}${0}`.toString(), "<ul><li>&lt;a&gt;</li><li>b</li></ul>0");
});

test("safeUrl lets http(s) URLs and local paths through, and replaces javascript:, data: and //host", () => {
  assert.equal(safeUrl("https://avatars.githubusercontent.com/u/1?v=4", ""), "https://avatars.githubusercontent.com/u/1?v=4");
  assert.equal(safeUrl("/account", ""), "/account");
  assert.equal(safeUrl("javascript:alert(1)", "x"), "x");
  assert.equal(safeUrl("data:image/svg+xml,<svg/>", "x"), "x");
  assert.equal(safeUrl("//evil.example/a.png", "x"), "x");
  assert.equal(safeUrl(null, "x"), "x");
});

test("deviceName names common browsers, the CLI and unknown agents", () => {
  assert.equal(deviceName("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"), "Firefox on Linux");
  assert.equal(deviceName("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"), "Safari on macOS");
  assert.equal(deviceName("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"), "Edge on Windows");
  assert.equal(deviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1"), "Chrome on iOS");
  assert.equal(deviceName("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36"), "Chrome on Linux");
  assert.equal(deviceName("gatehouse-cli/0.1.0 node/20.20.0"), "Gatehouse command line");
  assert.equal(deviceName("curl/8.5.0"), "curl");
  assert.equal(deviceName(null), "Unknown device");
  assert.equal(deviceName("SomethingElse/1.0"), "Unknown device");
});

test("timeAgo says just now, minutes, hours and days", () => {
  const now = Date.UTC(2026, 0, 10, 12);
  assert.equal(timeAgo(new Date(now - 20_000), now), "just now");
  assert.equal(timeAgo(new Date(now - 60_000), now), "1 minute ago");
  assert.equal(timeAgo(new Date(now - 5 * 3600_000), now), "5 hours ago");
  assert.equal(timeAgo(new Date(now - 3 * 86400_000), now), "3 days ago");
});

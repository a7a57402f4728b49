/**
 * Opening a URL in the person's browser, when there is one: only for a terminal session on a
 * desktop (macOS, Windows, or a Linux/BSD session with a display). Never fails: the URL is also
 * printed, and a missing opener only means the person opens it by hand.
 */
import { spawn } from "node:child_process";

type Env = Readonly<Record<string, string | undefined>>;

/** The platform's opener for `url`, or `undefined` when there is no desktop to open it on. */
function opener(url: string, os: NodeJS.Platform, env: Env): { command: string; args: string[] } | undefined {
  switch (os) {
    case "darwin":
      return { command: "open", args: [url] };
    case "win32":
      // Not `cmd /c start`: cmd would interpret `&`, `^` and `%VAR%` in the URL.
      return { command: "rundll32.exe", args: ["url.dll,FileProtocolHandler", url] };
    default:
      // Over SSH or on a server there is no display, and xdg-open would start a text browser or fail.
      if (!env["DISPLAY"] && !env["WAYLAND_DISPLAY"]) return undefined;
      return { command: "xdg-open", args: [url] };
  }
}

/**
 * Tries to open `url` (http or https only); returns whether an opener was started.
 *
 * @example
 * if (process.stdout.isTTY && openBrowser(verificationUri)) console.log("Opened it in your browser.");
 */
export function openBrowser(url: string, os: NodeJS.Platform = process.platform, env: Env = process.env): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // The URL comes from the server: never hand a file:, javascript: or option-like string to an opener.
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  const how = opener(parsed.href, os, env);
  if (!how) return false;
  try {
    const child = spawn(how.command, how.args, { stdio: "ignore", detached: true });
    child.on("error", () => undefined); // e.g. ENOENT: no xdg-open installed
    child.unref();
    return true;
  } catch {
    return false;
  }
}

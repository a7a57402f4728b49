/** Which URLs a provider may live at: https, or http on the loopback interface only. */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Why `text` cannot be a provider URL, or `undefined` when it can: an absolute https URL without
 * credentials or fragment, or http on 127.0.0.1 / localhost / ::1 (tests and local development;
 * anywhere else a code or token would cross the network in clear).
 *
 * @example
 * providerUrlProblem("http://gitlab.example.com"); // "must be an https:// URL (http only on 127.0.0.1, localhost or ::1)"
 * providerUrlProblem("http://127.0.0.1:8080");     // undefined
 */
export function providerUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an absolute URL, e.g. https://gitlab.example.com";
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "") return "must not carry credentials or a #fragment";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopback(url)) return undefined;
  return "must be an https:// URL (http only on 127.0.0.1, localhost or ::1)";
}

/** Whether `url` is on the loopback interface, where plain http is allowed. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** Web and API bases for github.com, GitHub Enterprise Server and GHE.com (docs/github-protocol.md §1). */
import { GitHubUsageError } from "./errors.js";

/** The two bases every request is built on, without trailing slashes. */
export interface Endpoints {
  webUrl: string;
  apiUrl: string;
}

function fromHost(host: string): Endpoints {
  const h = host.toLowerCase();
  if (h === "github.com") return { webUrl: "https://github.com", apiUrl: "https://api.github.com" };
  // GHE.com (data residency): the API is a sibling host, not a path.
  if (h.endsWith(".ghe.com")) return { webUrl: `https://${h}`, apiUrl: `https://api.${h}` };
  // GitHub Enterprise Server: the API lives under /api/v3 on the same host.
  return { webUrl: `https://${h}`, apiUrl: `https://${h}/api/v3` };
}

function checkHost(host: string): string {
  let url: URL | undefined;
  try {
    url = new URL(`https://${host}`);
  } catch {
    url = undefined;
  }
  if (!url || url.host !== host.toLowerCase() || host.length === 0) {
    throw new GitHubUsageError("invalid_option", "host must be a bare host name such as \"github.com\" or \"ghe.example.com\" (use webUrl/apiUrl for full URLs)");
  }
  return url.host;
}

function checkBase(name: string, value: string | URL): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GitHubUsageError("invalid_option", `${name} must be an absolute http(s) URL`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash) {
    throw new GitHubUsageError("invalid_option", `${name} must be an http(s) URL without query or fragment`);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * One setting derives both bases; explicit `webUrl`/`apiUrl` win. With only `webUrl`, the API base
 * is derived from its host by the same rules (GHES: `{webUrl}/api/v3`).
 */
export function resolveEndpoints(options: { host?: string | undefined; webUrl?: string | URL | undefined; apiUrl?: string | URL | undefined }): Endpoints {
  const webUrl = options.webUrl === undefined ? undefined : checkBase("webUrl", options.webUrl);
  const apiUrl = options.apiUrl === undefined ? undefined : checkBase("apiUrl", options.apiUrl);
  const host = options.host === undefined ? undefined : checkHost(options.host);
  if (webUrl !== undefined) {
    if (apiUrl !== undefined) return { webUrl, apiUrl };
    const h = new URL(webUrl).host;
    const cloud = h === "github.com" || h.endsWith(".ghe.com");
    return { webUrl, apiUrl: cloud ? fromHost(h).apiUrl : `${webUrl}/api/v3` };
  }
  const derived = fromHost(host ?? "github.com");
  return { webUrl: derived.webUrl, apiUrl: apiUrl ?? derived.apiUrl };
}

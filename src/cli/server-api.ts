/**
 * The command line's HTTP client for a Gatehouse server: which server (flag, `GATEHOUSE_SERVER`,
 * default), JSON requests with a timeout and Ctrl-C, and problem+json answers turned into their
 * human message. Redirects are not followed: a bearer token must never be replayed to another host.
 */
import { hostname, platform } from "node:os";
import { causeCode, CliError } from "./cli-error.js";
import { stringField } from "./json-fields.js";

/** Where `gatehouse login` goes without `--server` or `GATEHOUSE_SERVER`. */
const DEFAULT_SERVER = "http://127.0.0.1:3000";

const TIMEOUT_MS = 30_000;
const VERSION = "0.1.0";

/**
 * Checks and normalises a server URL: http(s), no credentials, query or fragment; no trailing
 * slash. The result is also the key of the stored credentials.
 *
 * @example
 * normalizeServerUrl("http://127.0.0.1:3000/"); // "http://127.0.0.1:3000"
 */
function normalizeServerUrl(text: string, source = "--server"): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new CliError("usage", `${source} must be a URL such as https://auth.example.com`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError("usage", `${source} must be an http:// or https:// URL`);
  // A password in the URL would end up in the credentials file's keys and in messages.
  if (url.username !== "" || url.password !== "") throw new CliError("usage", `${source} must not contain a user name or password`);
  if (url.search !== "" || url.hash !== "") throw new CliError("usage", `${source} must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * The server a command talks to: `--server`, else `GATEHOUSE_SERVER`, else {@link DEFAULT_SERVER}.
 *
 * @example
 * const server = resolveServer(values.server, process.env);
 */
export function resolveServer(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (flag !== undefined) return normalizeServerUrl(flag, "--server");
  const fromEnv = env["GATEHOUSE_SERVER"];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return normalizeServerUrl(fromEnv, "GATEHOUSE_SERVER");
  return DEFAULT_SERVER;
}

/** A JSON answer: status and body (`unknown` until checked). */
export interface ServerAnswer {
  status: number;
  body: unknown;
}

/** What a request needs. */
export interface ServerRequest {
  method?: "GET" | "POST";
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Sent as a JSON body. */
  json?: unknown;
  /** Ctrl-C. */
  signal?: AbortSignal;
}

// The account page lists sessions by User-Agent: name the machine so a person can tell which terminal it is.
const userAgent = `gatehouse-cli/${VERSION} (${platform()}; ${hostname().replace(/[^\w.-]/g, "").slice(0, 64)}) node/${process.versions.node}`;

/**
 * One request to the server. Resolves with any HTTP answer (the caller decides what a status
 * means); throws `CliError` for no answer (`server_unreachable`), a redirect, a non-JSON body
 * (`invalid_response`) or Ctrl-C (`cancelled`).
 *
 * @example
 * const { status, body } = await callServer(server, "/api/users/me", { token });
 */
export async function callServer(server: string, path: string, request: ServerRequest = {}): Promise<ServerAnswer> {
  const headers: Record<string, string> = { accept: "application/json, application/problem+json", "user-agent": userAgent };
  if (request.token !== undefined) headers["authorization"] = `Bearer ${request.token}`;
  if (request.json !== undefined) headers["content-type"] = "application/json";
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${server}${path}`, {
      method: request.method ?? "GET",
      headers,
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
      redirect: "manual",
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (request.signal?.aborted) throw new CliError("cancelled", "cancelled", { cause: err });
    if (timeout.aborted) throw new CliError("server_unreachable", `${server} did not answer within ${TIMEOUT_MS / 1000} s`, { cause: err });
    throw new CliError("server_unreachable", `cannot reach ${server} (${causeCode(err) ?? "network error"})`, { cause: err });
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location");
    const hint = location ? `; if it moved, use --server ${new URL(location, `${server}/`).origin}` : "";
    throw new CliError("invalid_response", `${server} answered with a redirect (${res.status})${hint}`);
  }
  let body: unknown;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch (err) {
    throw new CliError("invalid_response", `${server}${path} did not answer JSON (HTTP ${res.status}); is --server a Gatehouse server?`, { cause: err });
  }
  return { status: res.status, body };
}

/**
 * The server's error as a `CliError("server_error")`: the problem's `detail` (its human message)
 * and `code`, or the status alone when the body is not a problem.
 *
 * @example
 * if (answer.status !== 200) throw serverFailure(answer);
 */
export function serverFailure(answer: ServerAnswer): CliError {
  const problemCode = stringField(answer.body, "code");
  const message = stringField(answer.body, "detail") ?? stringField(answer.body, "title") ?? `the server answered HTTP ${answer.status}`;
  return new CliError("server_error", message, { status: answer.status, ...(problemCode !== undefined ? { problemCode } : {}) });
}

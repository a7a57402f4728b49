/**
 * Environment → typed, validated configuration of `gatehouse serve`. A bad or missing value stops
 * the start with a message naming the variable (never echoing a secret's value).
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from "./store/index.js";
import { decodeSecret, GITHUB_LOGIN_PATTERN, parseTeam, parseUserFieldDefinitions } from "./users/index.js";
import type { SignupPolicy, UserFieldDefinition } from "./users/index.js";
import { parseProviderList, ProviderConfigError } from "./providers/index.js";
import type { ProviderList, ProviderSettings } from "./providers/index.js";

/** Stable codes of {@link ConfigError}. */
export type ConfigErrorCode = "invalid_value" | "missing_value";

/**
 * A configuration problem; `variable` names the environment variable.
 *
 * @example
 * try { loadConfig(process.env); } catch (err) { if (err instanceof ConfigError) console.error(err.message); }
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  /** The environment variable at fault; the message starts with it. */
  readonly variable: string;

  constructor(code: ConfigErrorCode, message: string, options: { variable: string; cause?: unknown }) {
    super(`${options.variable}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.variable = options.variable;
  }
}

/** The configuration of a running service. */
export interface ServiceConfig {
  port: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host: string;
  /** Where users reach the service; default `http://127.0.0.1:PORT` (or `http://HOST:PORT`). */
  publicUrl: string;
  /**
   * Whether `GATEHOUSE_PUBLIC_URL` set {@link publicUrl}. When it did not, the default follows the
   * port actually bound (with `GATEHOUSE_PORT=0`, known only after listening).
   */
  publicUrlExplicit: boolean;
  databaseUrl: string;
  /** The GitHub app; `undefined` when none is configured (then `serve` starts the emulator). */
  github: { clientId: string; clientSecret: string; host?: string; webUrl?: string; apiUrl?: string } | undefined;
  scopes: string[] | undefined;
  /** Decoded `GATEHOUSE_SECRET`; `undefined` when absent (local use: generated in `dataDir`). */
  secret: Uint8Array | undefined;
  signup: SignupPolicy;
  orgs: string[];
  teams: string[];
  admins: string[];
  trustProxy: number;
  /** `GATEHOUSE_RETURN_TO_HOSTS`: hosts (`host` or `host:port`) an absolute `return_to` may point at. Default none. */
  returnToHosts: string[];
  /** `GATEHOUSE_GITHUB_CALLBACK_URL`: a front end's route GitHub returns to; default Gatehouse's own `/auth/github/callback`. */
  githubCallbackUrl: string | undefined;
  /** `GATEHOUSE_APP_ORIGINS`: front ends on other origins allowed to call `/api/*` with credentials. Default none. */
  appOrigins: string[];
  /** `GATEHOUSE_USER_FIELDS`: app-defined user fields (a JSON array). Default none. */
  userFields: UserFieldDefinition[];
  /** `GATEHOUSE_OAUTH_PROVIDERS`: generic OpenID Connect / OAuth 2 providers (its `github` entry fills {@link github}). Default none. */
  oauthProviders: ProviderSettings[];
  /** `GATEHOUSE_COMPAT`: `codx` for codx-junior's front end on `/api/users*`. Default none. */
  compat: "codx" | undefined;
  logLevel: string;
  /** Where local state (the generated secret) is kept. Default `./.gatehouse`. */
  dataDir: string;
  /** `NODE_ENV=production`: the secret and a real GitHub app are required. */
  production: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

function list(env: Env, name: string): string[] {
  return (read(env, name) ?? "").split(/[\s,]+/).filter(Boolean);
}

function httpUrl(env: Env, name: string, opts: { originOnly?: boolean; pathAllowed?: boolean } = {}): string | undefined {
  const v = read(env, name);
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError("invalid_value", "must be an absolute URL, e.g. https://auth.example.com", { variable: name });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new ConfigError("invalid_value", "must be an http:// or https:// URL", { variable: name });
  if (opts.originOnly && (u.pathname !== "/" || u.search !== "" || u.hash !== "")) {
    throw new ConfigError("invalid_value", "must be an origin without a path, e.g. https://auth.example.com", { variable: name });
  }
  if (opts.pathAllowed && (u.search !== "" || u.hash !== "" || u.username !== "" || u.password !== "")) {
    throw new ConfigError("invalid_value", "must be an origin, optionally with a path, e.g. https://example.com/auth", { variable: name });
  }
  if (opts.originOnly) return u.origin;
  // Mounted under a path (`https://example.com/auth`): the base path without its trailing slash.
  if (opts.pathAllowed) return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
  return v.replace(/\/+$/, "");
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * Reads and checks every `GATEHOUSE_*` variable.
 *
 * @example
 * const config = loadConfig(process.env); // throws ConfigError naming the variable
 */
export function loadConfig(env: Env): ServiceConfig {
  const production = env["NODE_ENV"] === "production";
  const portText = read(env, "GATEHOUSE_PORT") ?? "3000";
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ConfigError("invalid_value", "must be a port number from 0 to 65535", { variable: "GATEHOUSE_PORT" });
  }
  const port = Number(portText);
  const host = read(env, "GATEHOUSE_HOST") ?? "127.0.0.1";
  const explicitUrl = httpUrl(env, "GATEHOUSE_PUBLIC_URL", { pathAllowed: true });
  const publicUrl = explicitUrl ??
    `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host}:${port}`;

  const databaseUrl = read(env, "GATEHOUSE_DATABASE_URL") ?? DEFAULT_DATABASE_URL;
  try {
    parseDatabaseUrl(databaseUrl);
  } catch (err) {
    throw new ConfigError("invalid_value", "must be sqlite:PATH or postgres://USER@HOST/DB", { variable: "GATEHOUSE_DATABASE_URL", cause: err });
  }

  const clientId = read(env, "GATEHOUSE_GITHUB_CLIENT_ID");
  const clientSecret = read(env, "GATEHOUSE_GITHUB_CLIENT_SECRET");
  if (clientId !== undefined && clientSecret === undefined) {
    throw new ConfigError("missing_value", "is required with GATEHOUSE_GITHUB_CLIENT_ID", { variable: "GATEHOUSE_GITHUB_CLIENT_SECRET" });
  }
  if (clientSecret !== undefined && clientId === undefined) {
    throw new ConfigError("missing_value", "is required with GATEHOUSE_GITHUB_CLIENT_SECRET", { variable: "GATEHOUSE_GITHUB_CLIENT_ID" });
  }
  const ghHost = read(env, "GATEHOUSE_GITHUB_HOST");
  if (ghHost !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(ghHost)) {
    throw new ConfigError("invalid_value", "must be a host name such as github.com or ghe.example.com", { variable: "GATEHOUSE_GITHUB_HOST" });
  }
  const webUrl = httpUrl(env, "GATEHOUSE_GITHUB_WEB_URL");
  const apiUrl = httpUrl(env, "GATEHOUSE_GITHUB_API_URL");
  const signup = read(env, "GATEHOUSE_SIGNUP") ?? "open";
  if (signup !== "open" && signup !== "invite") throw new ConfigError("invalid_value", 'must be "open" or "invite"', { variable: "GATEHOUSE_SIGNUP" });
  const providerList = oauthProvidersFrom(read(env, "GATEHOUSE_OAUTH_PROVIDERS"), signup);
  if (providerList.github !== undefined && clientId !== undefined) {
    throw new ConfigError("invalid_value", "configures GitHub, and so does GATEHOUSE_GITHUB_CLIENT_ID: keep one", { variable: "GATEHOUSE_OAUTH_PROVIDERS" });
  }
  if (providerList.github?.host !== undefined && ghHost !== undefined) {
    throw new ConfigError("invalid_value", "gives GitHub's host, and so does GATEHOUSE_GITHUB_HOST: keep one", { variable: "GATEHOUSE_OAUTH_PROVIDERS" });
  }
  const githubApp = providerList.github ?? (clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined);
  if (githubApp === undefined && production) {
    throw new ConfigError("missing_value", "is required in production (NODE_ENV=production)", { variable: "GATEHOUSE_GITHUB_CLIENT_ID" });
  }
  const githubHost = providerList.github?.host ?? ghHost;
  const github = githubApp !== undefined
    ? {
        clientId: githubApp.clientId, clientSecret: githubApp.clientSecret,
        ...(githubHost !== undefined ? { host: githubHost } : {}),
        ...(webUrl !== undefined ? { webUrl } : {}),
        ...(apiUrl !== undefined ? { apiUrl } : {}),
      }
    : undefined;

  const scopes = read(env, "GATEHOUSE_GITHUB_SCOPES") === undefined ? undefined : list(env, "GATEHOUSE_GITHUB_SCOPES");
  for (const s of scopes ?? []) {
    if (!/^[a-z_:]+$/.test(s)) throw new ConfigError("invalid_value", `"${s}" is not a GitHub scope`, { variable: "GATEHOUSE_GITHUB_SCOPES" });
  }

  let secret: Uint8Array | undefined;
  const secretText = read(env, "GATEHOUSE_SECRET");
  if (secretText !== undefined) {
    try {
      secret = decodeSecret(secretText);
    } catch (err) {
      throw new ConfigError("invalid_value", `${err instanceof Error ? err.message : "is invalid"} (generate one: openssl rand -hex 32)`, { variable: "GATEHOUSE_SECRET", cause: err });
    }
  } else if (production) {
    throw new ConfigError("missing_value", "is required in production: 32 random bytes as hex or base64 (openssl rand -hex 32)", { variable: "GATEHOUSE_SECRET" });
  }

  const orgs = list(env, "GATEHOUSE_GITHUB_ORGS");
  for (const o of orgs) if (!GITHUB_LOGIN_PATTERN.test(o)) throw new ConfigError("invalid_value", `"${o}" is not an organisation login`, { variable: "GATEHOUSE_GITHUB_ORGS" });
  const teams = list(env, "GATEHOUSE_GITHUB_TEAMS");
  for (const t of teams) {
    try {
      parseTeam(t);
    } catch {
      throw new ConfigError("invalid_value", `"${t}" must look like org/team-slug`, { variable: "GATEHOUSE_GITHUB_TEAMS" });
    }
  }
  const admins = list(env, "GATEHOUSE_ADMINS");
  for (const a of admins) if (!GITHUB_LOGIN_PATTERN.test(a)) throw new ConfigError("invalid_value", `"${a}" is not a GitHub login`, { variable: "GATEHOUSE_ADMINS" });

  const proxyText = read(env, "GATEHOUSE_TRUST_PROXY") ?? "0";
  const trustProxy = proxyText === "true" ? 1 : proxyText === "false" ? 0 : Number(proxyText);
  if (!Number.isInteger(trustProxy) || trustProxy < 0 || trustProxy > 10) {
    throw new ConfigError("invalid_value", "must be false, true, or the number of proxies in front (0-10)", { variable: "GATEHOUSE_TRUST_PROXY" });
  }
  // Hosts an absolute return_to may name (services behind the same proxy as /auth/check).
  const returnToHosts = list(env, "GATEHOUSE_RETURN_TO_HOSTS").map((h) => h.toLowerCase());
  for (const h of returnToHosts) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(h) || h.startsWith(".")) throw new ConfigError("invalid_value", `"${h}" is not a host or host:port`, { variable: "GATEHOUSE_RETURN_TO_HOSTS" });
  }
  const appOrigins = list(env, "GATEHOUSE_APP_ORIGINS").map((o) => {
    const origin = httpUrl({ GATEHOUSE_APP_ORIGINS: o }, "GATEHOUSE_APP_ORIGINS", { originOnly: true });
    if (origin === undefined || origin !== o.replace(/\/$/, "")) throw new ConfigError("invalid_value", "each entry must be an origin such as https://app.example.com (no path)", { variable: "GATEHOUSE_APP_ORIGINS" });
    return origin;
  });
  // Validated like a base URL, but kept as written (a trailing slash is part of what GitHub compares).
  const githubCallbackUrl = httpUrl(env, "GATEHOUSE_GITHUB_CALLBACK_URL", { pathAllowed: true }) === undefined
    ? undefined : new URL(read(env, "GATEHOUSE_GITHUB_CALLBACK_URL") ?? "").toString();
  // GitHub's code may only go where the service or one of its own front ends receives it.
  if (githubCallbackUrl !== undefined && !appOrigins.includes(new URL(githubCallbackUrl).origin) &&
      (explicitUrl === undefined || new URL(githubCallbackUrl).origin !== new URL(publicUrl).origin)) {
    throw new ConfigError("invalid_value", "must be on GATEHOUSE_PUBLIC_URL's origin or one of GATEHOUSE_APP_ORIGINS", { variable: "GATEHOUSE_GITHUB_CALLBACK_URL" });
  }
  const userFields = userFieldsFrom(read(env, "GATEHOUSE_USER_FIELDS"));
  const compatRaw = read(env, "GATEHOUSE_COMPAT");
  if (compatRaw !== undefined && compatRaw !== "codx") throw new ConfigError("invalid_value", 'must be "codx" or unset', { variable: "GATEHOUSE_COMPAT" });
  const compat = compatRaw;
  const logLevel = read(env, "GATEHOUSE_LOG_LEVEL") ?? "info";
  if (!LEVELS.includes(logLevel)) throw new ConfigError("invalid_value", `must be one of ${LEVELS.join(", ")}`, { variable: "GATEHOUSE_LOG_LEVEL" });

  return {
    port, host, publicUrl, publicUrlExplicit: explicitUrl !== undefined, databaseUrl, github, scopes, secret, signup, orgs, teams, admins, trustProxy, logLevel, returnToHosts, githubCallbackUrl, appOrigins, userFields, compat,
    oauthProviders: providerList.providers,
    dataDir: read(env, "GATEHOUSE_DATA_DIR") ?? "./.gatehouse",
    production,
  };
}

/** `GATEHOUSE_OAUTH_PROVIDERS`: the seed's provider list; the error names the entry and field. */
function oauthProvidersFrom(raw: string | undefined, signup: SignupPolicy): ProviderList {
  if (raw === undefined) return { github: undefined, providers: [] };
  try {
    return parseProviderList(raw, { signup });
  } catch (err) {
    if (!(err instanceof ProviderConfigError)) throw err;
    throw new ConfigError(err.code === "missing_value" ? "missing_value" : "invalid_value", err.message, { variable: "GATEHOUSE_OAUTH_PROVIDERS", cause: err });
  }
}

/** `GATEHOUSE_USER_FIELDS`: a JSON array of `{name, type, default?, set_by}`; the error names the entry. */
function userFieldsFrom(raw: string | undefined): UserFieldDefinition[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError("invalid_value", "must be a JSON array of {name, type, default?, set_by}", { variable: "GATEHOUSE_USER_FIELDS", cause: err });
  }
  try {
    return parseUserFieldDefinitions(parsed);
  } catch (err) {
    throw new ConfigError("invalid_value", err instanceof Error ? err.message : "is invalid", { variable: "GATEHOUSE_USER_FIELDS", cause: err });
  }
}

/**
 * The local secret for a machine without `GATEHOUSE_SECRET`: read from `DATA_DIR/secret`, or
 * generated (32 random bytes) and written there with mode 0600.
 *
 * @example
 * const secret = config.secret ?? loadOrCreateLocalSecret(config.dataDir);
 */
export function loadOrCreateLocalSecret(dataDir: string): { secret: Uint8Array; path: string; created: boolean } {
  const path = join(dataDir, "secret");
  try {
    return { secret: decodeSecret(readFileSync(path, "utf8")), path, created: false };
  } catch (err) {
    if (!(err instanceof Error && "code" in err && err.code === "ENOENT")) {
      throw new ConfigError("invalid_value", `cannot use the secret file ${path}: ${err instanceof Error ? err.message : String(err)}`, { variable: "GATEHOUSE_DATA_DIR", cause: err });
    }
  }
  const secret = randomBytes(32);
  // Written whole to a temporary file, then linked into place: two processes starting at once
  // (`serve` and `gatehouse users`) never see a half-written file, and the loser of the race
  // reads the winner's secret instead of failing.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, `${secret.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(temp, 0o600);
    linkSync(temp, path);
  } catch (err) {
    if (err instanceof Error && "code" in err && err.code === "EEXIST") {
      return { secret: decodeSecret(readFileSync(path, "utf8")), path, created: false };
    }
    // A read-only or foreign-owned data directory: say which variable moves it.
    throw new ConfigError("invalid_value", `cannot write the secret file ${path}: ${err instanceof Error ? err.message : String(err)}`, { variable: "GATEHOUSE_DATA_DIR", cause: err });
  } finally {
    rmSync(temp, { force: true });
  }
  return { secret: new Uint8Array(secret), path, created: true };
}

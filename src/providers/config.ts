/**
 * `GATEHOUSE_OAUTH_PROVIDERS`: the seed's `oauth_providers` list (`[{ name, client_id, secret, … }]`)
 * → GitHub's app and the generic providers' settings. Every error names the entry (index and
 * name) and the field, and never shows a secret's value.
 */
import { ProviderConfigError, type ProviderConfigErrorCode } from "./errors.js";
import { OIDC_CLAIMS } from "./identity.js";
import type { ClaimsMapping, ProviderSettings, ProviderSignup, TokenEndpointAuth } from "./types.js";
import { providerUrlProblem } from "./urls.js";

/** GitHub's app as the list's `github` entry gives it (GitHub itself stays `GitHubOAuth`'s). */
export interface GitHubEntry {
  clientId: string;
  clientSecret: string;
  /** A GitHub Enterprise Server host, e.g. `ghe.example.com`. */
  host?: string;
}

/** What {@link parseProviderList} returns. */
export interface ProviderList {
  github: GitHubEntry | undefined;
  providers: ProviderSettings[];
}

/** Names of the seed's shape (`/auth/{name}`, `/api/users/oauth-login-url/{name}`) that are routes or words of the service. */
export const RESERVED_PROVIDER_NAMES: ReadonlySet<string> = new Set([
  "github", "check", "callback", "device", "login", "logout", "me", "password", "session", "sessions",
  "api", "auth", "admin", "account", "link", "unlink", "new", "static", "healthz", "oauth-login", "oauth-login-url",
]);

/** A provider name: a URL path segment, lower-case `[a-z0-9-]`, 1–32 characters. */
export const PROVIDER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,31})$/;
const NAME = PROVIDER_NAME_PATTERN;

interface Preset {
  issuer: string;
  scopes: string[];
  displayName: string;
}

/** Presets by name: the issuer, scopes and button text a bare `{ name, client_id, secret }` gets. */
const PRESETS: Readonly<Record<string, Preset>> = {
  // A self-managed GitLab: the same entry with its own `issuer`.
  gitlab: { issuer: "https://gitlab.com", scopes: ["openid", "profile", "email"], displayName: "GitLab" },
  google: { issuer: "https://accounts.google.com", scopes: ["openid", "email", "profile"], displayName: "Google" },
};

const COMMON_FIELDS = ["name", "display_name", "client_id", "secret", "scopes", "signup", "token_auth", "callback_url"];
const OIDC_FIELDS = new Set([...COMMON_FIELDS, "issuer"]);
const OAUTH2_FIELDS = new Set([...COMMON_FIELDS, "issuer", "authorize_url", "token_url", "userinfo_url", "mapping"]);
const GITHUB_FIELDS = new Set(["name", "client_id", "secret", "host", "token_url"]);
const MAPPING_KEYS = Object.keys(OIDC_CLAIMS) as Array<keyof ClaimsMapping>;

type Entry = Readonly<Record<string, unknown>>;

/** Reads one entry; its errors say where. */
class EntryReader {
  constructor(private readonly entry: Entry, private readonly where: string) {}

  fail(code: ProviderConfigErrorCode, field: string, problem: string): never {
    throw new ProviderConfigError(code, `${this.where}: ${field} ${problem}`, { field });
  }

  has(field: string): boolean {
    return this.entry[field] !== undefined;
  }

  /** A string field; `required` ones must be present and not blank. Secrets are never echoed, so neither is anything. */
  text(field: string, required: true): string;
  text(field: string, required: false): string | undefined;
  text(field: string, required: boolean): string | undefined {
    const value = this.entry[field];
    if (value === undefined || value === null) {
      if (required) this.fail("missing_value", field, "is required");
      return undefined;
    }
    if (typeof value !== "string") this.fail("invalid_value", field, "must be a string");
    if (value.trim() === "") this.fail("missing_value", field, "must not be empty");
    return value.trim();
  }

  url(field: string, required: true): string;
  url(field: string, required: false): string | undefined;
  url(field: string, required: boolean): string | undefined {
    const value = required ? this.text(field, true) : this.text(field, false);
    if (value === undefined) return undefined;
    const problem = providerUrlProblem(value);
    if (problem !== undefined) this.fail("invalid_value", field, problem);
    return value;
  }

  onlyFields(allowed: ReadonlySet<string>, kind: string): void {
    for (const field of Object.keys(this.entry)) {
      if (!allowed.has(field)) this.fail("invalid_value", field, `is not a field of ${kind}`);
    }
  }

  scopes(fallback: readonly string[]): string[] {
    const value = this.entry["scopes"];
    if (value === undefined) return [...fallback];
    const list = typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean)
      : Array.isArray(value) && value.every((s) => typeof s === "string") ? value.map((s) => s.trim()).filter(Boolean)
      : this.fail("invalid_value", "scopes", "must be an array of strings or a space-separated string");
    // RFC 6749 §3.3 scope-token characters.
    for (const scope of list) if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) this.fail("invalid_value", "scopes", `has an invalid scope "${scope.slice(0, 40)}"`);
    return list;
  }

  signup(fallback: ProviderSignup): ProviderSignup {
    const value = this.text("signup", false);
    if (value === undefined) return fallback;
    if (value !== "open" && value !== "invite") this.fail("invalid_value", "signup", 'must be "open" or "invite"');
    return value;
  }

  tokenAuth(): TokenEndpointAuth | undefined {
    const value = this.text("token_auth", false);
    if (value === undefined) return undefined;
    if (value !== "client_secret_basic" && value !== "client_secret_post") this.fail("invalid_value", "token_auth", 'must be "client_secret_basic" or "client_secret_post"');
    return value;
  }

  mapping(): ClaimsMapping {
    const value = this.entry["mapping"];
    if (value === undefined) return { ...OIDC_CLAIMS };
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail("invalid_value", "mapping", `must be an object with some of ${MAPPING_KEYS.join(", ")}`);
    const mapping: ClaimsMapping = { ...OIDC_CLAIMS };
    for (const [key, member] of Object.entries(value)) {
      if (!MAPPING_KEYS.includes(key as keyof ClaimsMapping)) this.fail("invalid_value", `mapping.${key}`, `is not one of ${MAPPING_KEYS.join(", ")}`);
      if (typeof member !== "string" || member.trim() === "") this.fail("invalid_value", `mapping.${key}`, "must be a userinfo member name");
      mapping[key as keyof ClaimsMapping] = member.trim();
    }
    return mapping;
  }
}

function githubEntry(r: EntryReader): GitHubEntry {
  r.onlyFields(GITHUB_FIELDS, "the github entry (client_id, secret, host)");
  const clientId = r.text("client_id", true);
  const clientSecret = r.text("secret", true);
  const host = r.text("host", false);
  if (host !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) r.fail("invalid_value", "host", "must be a host name such as ghe.example.com");
  // The seed lists GitHub with its token_url: accepted when it is the host's own.
  const tokenUrl = r.text("token_url", false);
  if (tokenUrl !== undefined && tokenUrl !== `https://${host ?? "github.com"}/login/oauth/access_token`) {
    r.fail("invalid_value", "token_url", `must be https://${host ?? "github.com"}/login/oauth/access_token (GitHub Enterprise: set host)`);
  }
  return { clientId, clientSecret, ...(host === undefined ? {} : { host }) };
}

function providerEntry(r: EntryReader, name: string, defaults: { signup: ProviderSignup }): ProviderSettings {
  const preset = PRESETS[name];
  const isOAuth2 = r.has("authorize_url") || r.has("token_url") || r.has("userinfo_url");
  if (isOAuth2 && preset !== undefined) r.fail("invalid_value", "authorize_url", `is not for the ${name} preset (an OpenID provider: give issuer for a self-managed one)`);
  if (!isOAuth2 && preset === undefined && !r.has("issuer")) {
    r.fail("missing_value", "issuer", "is required (or authorize_url, token_url and userinfo_url for a plain OAuth 2 provider)");
  }
  r.onlyFields(isOAuth2 ? OAUTH2_FIELDS : OIDC_FIELDS, isOAuth2 ? "a plain OAuth 2 provider" : "an OpenID Connect provider");
  const common = {
    name,
    displayName: r.text("display_name", false) ?? preset?.displayName ?? name,
    clientId: r.text("client_id", true),
    clientSecret: r.text("secret", true),
    scopes: r.scopes(preset?.scopes ?? (isOAuth2 ? [] : ["openid", "profile", "email"])),
    signup: r.signup(defaults.signup),
  };
  const tokenAuth = r.tokenAuth();
  // A front end's callback route: here only its form is checked; the service checks its origin.
  const callbackUrl = r.text("callback_url", false);
  if (callbackUrl !== undefined && !(URL.canParse(callbackUrl) && /^https?:$/.test(new URL(callbackUrl).protocol))) {
    r.fail("invalid_value", "callback_url", "must be an absolute http:// or https:// URL (a front end's route)");
  }
  const auth = { ...(tokenAuth === undefined ? {} : { tokenAuth }), ...(callbackUrl === undefined ? {} : { callbackUrl }) };
  if (!isOAuth2) {
    const issuer = r.url("issuer", false) ?? preset?.issuer ?? r.fail("missing_value", "issuer", "is required");
    if (!common.scopes.includes("openid")) r.fail("invalid_value", "scopes", 'must include "openid" for an OpenID Connect provider');
    return { kind: "oidc", ...common, ...auth, issuer };
  }
  return {
    kind: "oauth2", ...common, ...auth,
    authorizeUrl: r.url("authorize_url", true),
    tokenUrl: r.url("token_url", true),
    userinfoUrl: r.url("userinfo_url", true),
    issuer: r.url("issuer", false),
    mapping: r.mapping(),
  };
}

/**
 * Parses the provider list. `github` configures GitHub's app (returned apart, GitHub stays
 * `GitHubOAuth`'s); `gitlab` and `google` are presets (issuer, scopes, button text), `gitlab` with
 * an `issuer` for a self-managed GitLab; any other name is an OpenID provider by its `issuer`, or a
 * plain OAuth 2 provider by `authorize_url`, `token_url`, `userinfo_url` and a `mapping` of the
 * userinfo's members (default: the OIDC claim names). `defaults.signup` is the service's rule.
 * Throws `ProviderConfigError`.
 *
 * @example
 * parseProviderList('[{"name":"gitlab","client_id":"abc","secret":"…"},{"name":"github","client_id":"Ov23…","secret":"…"}]', { signup: "open" });
 * // { github: { clientId: "Ov23…", clientSecret: "…" }, providers: [{ kind: "oidc", name: "gitlab", issuer: "https://gitlab.com", … }] }
 */
export function parseProviderList(json: string, defaults: { signup: ProviderSignup }): ProviderList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // JSON.parse's message may quote the text, secrets included.
    throw new ProviderConfigError("invalid_json", "must be a JSON array of {name, client_id, secret, ...}: the text is not JSON");
  }
  if (!Array.isArray(parsed)) throw new ProviderConfigError("invalid_json", "must be a JSON array of {name, client_id, secret, ...}");
  const seen = new Set<string>();
  let github: GitHubEntry | undefined;
  const providers: ProviderSettings[] = [];
  parsed.forEach((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new ProviderConfigError("invalid_json", `entry ${index}: must be an object {name, client_id, secret, ...}`);
    }
    const record = entry as Entry;
    const rawName = record["name"];
    const shownName = typeof rawName === "string" ? JSON.stringify(rawName.slice(0, 40)) : "";
    const r = new EntryReader(record, `entry ${index}${shownName === "" ? "" : ` (${shownName})`}`);
    const name = r.text("name", true);
    if (!NAME.test(name)) r.fail("invalid_value", "name", "must be 1-32 of a-z, 0-9 and -, starting with a letter or digit (it is a URL path segment)");
    if (seen.has(name)) r.fail("duplicate_name", "name", "is used by an earlier entry");
    seen.add(name);
    if (name === "github") {
      github = githubEntry(r);
      return;
    }
    if (RESERVED_PROVIDER_NAMES.has(name)) r.fail("reserved_name", "name", "is reserved (a route or word of the service)");
    providers.push(providerEntry(r, name, defaults));
  });
  return { github, providers };
}

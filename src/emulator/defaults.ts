/** The seeded app and users when options omit them; printed by `gatehouse emulator`. */
import type { EmulatorAppSeed, EmulatorUserSeed } from "./types.js";

/**
 * The default OAuth app. Its callbacks accept any loopback port (`http://127.0.0.1:<port>/...`)
 * and `http://localhost:3000/...`; device flow is on; tokens do not expire unless `offline_access`
 * is requested.
 *
 * @example
 * const { clientId, clientSecret } = DEFAULT_APP; // "Ov23liGatehouseTest01", "gatehouse-emulator-secret"
 */
export const DEFAULT_APP: Readonly<EmulatorAppSeed> = Object.freeze({
  clientId: "Ov23liGatehouseTest01",
  clientSecret: "gatehouse-emulator-secret",
  name: "Gatehouse Dev",
  kind: "oauth-app",
  callbackUrls: ["http://127.0.0.1/", "http://[::1]/", "http://localhost:3000/"],
  deviceFlow: true,
  expiringTokens: false,
  suspended: false,
});

/**
 * The default users:
 * - `octocat` (id 583231): public, verified primary email; admin of `octo-org`, maintainer of `octo-org/owners`.
 * - `monalisa` (id 2): private verified primary email (so `GET /user` has `email: null`), plus an
 *   unverified secondary; active member of `octo-org` and `octo-org/developers`.
 * - `hubot` (id 3): verified primary email; a *pending* invitation to `octo-org` (not a member).
 * - `newbie` (id 4): primary email not verified, so code exchange answers `unverified_user_email`.
 *
 * @example
 * const octocat = DEFAULT_USERS.find((u) => u.login === "octocat");
 */
export const DEFAULT_USERS: readonly EmulatorUserSeed[] = Object.freeze([
  {
    login: "octocat",
    id: 583231,
    name: "The Octocat",
    emails: [{ email: "octocat@github.com", primary: true, verified: true, visibility: "public" }],
    orgs: [{ login: "octo-org", role: "admin", state: "active", public: true }],
    teams: [{ org: "octo-org", slug: "owners", role: "maintainer", state: "active" }],
    company: "@github",
    location: "San Francisco",
  },
  {
    login: "monalisa",
    id: 2,
    name: "Mona Lisa Octocat",
    emails: [
      { email: "mona@example.com", primary: true, verified: true, visibility: "private" },
      { email: "mona@old.example.com", primary: false, verified: false, visibility: null },
    ],
    orgs: [{ login: "octo-org", role: "member", state: "active" }],
    teams: [{ org: "octo-org", slug: "developers", role: "member", state: "active" }],
  },
  {
    login: "hubot",
    id: 3,
    name: "Hubot",
    emails: [{ email: "hubot@example.com", primary: true, verified: true, visibility: "public" }],
    orgs: [{ login: "octo-org", role: "member", state: "pending" }],
  },
  {
    login: "newbie",
    id: 4,
    name: null,
    emails: [{ email: "newbie@example.com", primary: true, verified: false, visibility: "private" }],
  },
]);

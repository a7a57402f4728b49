/**
 * The test controls, shared by the in-process handle and the `/_emulator/` HTTP API. Every
 * argument is validated here (`unknown` in), so both entry points get the same checks and errors.
 */
import { z } from "zod";
import type { Core } from "./core.js";
import { tokenFields } from "./core.js";
import { EmulatorError } from "./errors.js";
import { requireRoute } from "./routes.js";
import { normalizeScopes } from "./scopes.js";
import { emailsSchema, faultSchema, orgMembershipSchema, parseInput, profileSchema, teamMembershipSchema, userSchema } from "./seed-schema.js";
import type { GitHubEmulatorControls } from "./types.js";

/** The same methods, taking `unknown` arguments (assignable to the typed interface). */
export type UncheckedControls = {
  [K in keyof GitHubEmulatorControls]: GitHubEmulatorControls[K] extends (...args: infer A) => infer R ? (...args: { [I in keyof A]: unknown }) => R : never;
};

const text = z.string().min(1);
const createTokenSchema = z.strictObject({ clientId: text.optional(), scopes: z.array(z.string()).optional() }).optional();

export function createControls(core: Core): UncheckedControls {
  const user = (login: unknown) => core.dir.requireUser(parseInput(text, login, "login"));
  const orgLogin = userSchema.shape.login;
  return {
    addUser(seed) {
      core.dir.addUser(parseInput(userSchema, seed, "user"));
    },
    renameUser(login, newLogin) {
      core.dir.renameUser(user(login).login, parseInput(orgLogin, newLogin, "newLogin"));
    },
    setEmails(login, emails) {
      core.dir.setEmails(user(login).login, parseInput(emailsSchema, emails, "emails"));
    },
    setProfile(login, profile) {
      core.dir.setProfile(user(login).login, parseInput(profileSchema, profile, "profile"));
    },
    setOrgMembership(login, org, membership) {
      const m = membership === null ? null : parseInput(orgMembershipSchema, membership, "membership");
      core.dir.setOrgMembership(user(login).login, parseInput(orgLogin, org, "org"), m);
    },
    setTeamMembership(login, org, team, membership) {
      const m = membership === null ? null : parseInput(teamMembershipSchema, membership, "membership");
      core.dir.setTeamMembership(user(login).login, parseInput(orgLogin, org, "org"), parseInput(text, team, "team"), m);
    },
    approveDevice(userCode, login) {
      const u = user(login);
      const code = parseInput(text, userCode, "userCode");
      const device = core.devices.pending(code);
      const app = core.dir.app(device.clientId);
      if (app) core.grant(u, app, device.scopes);
      core.devices.approve(code, u.id);
    },
    denyDevice(userCode) {
      core.devices.deny(parseInput(text, userCode, "userCode"));
    },
    revokeTokens(login) {
      core.revokeUser(user(login));
    },
    createToken(login, options) {
      const u = user(login);
      const opts = parseInput(createTokenSchema, options, "options") ?? {};
      const app = opts.clientId === undefined ? core.dir.listApps()[0] : core.dir.app(opts.clientId);
      if (!app) throw new EmulatorError("unknown_app", `no app with client id '${opts.clientId ?? ""}'`);
      const requested = opts.scopes ?? [];
      // Exactly the scopes asked for (not the union of earlier grants): tests say what they need.
      const issued = core.issueToken(app, u, normalizeScopes(requested), requested.includes("offline_access"), false);
      return {
        accessToken: issued.accessToken,
        scope: String(tokenFields(issued)["scope"]),
        refreshToken: issued.refreshToken,
        expiresAt: issued.record.expiresAt === null ? null : new Date(issued.record.expiresAt),
      };
    },
    setAutoApprove(login) {
      core.autoApprove = login === null ? null : user(login).login;
    },
    requests() {
      return core.log.list();
    },
    clearRequests() {
      core.log.clear();
    },
    injectFault(route, fault) {
      core.faults.add(requireRoute(parseInput(text, route, "route")), parseInput(faultSchema, fault, "fault"));
    },
    clearFaults() {
      core.faults.clear();
    },
  };
}

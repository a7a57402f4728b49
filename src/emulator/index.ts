/**
 * `gatehouse/emulator`: a local GitHub for tests. github.com's OAuth pages and endpoints,
 * api.github.com's user, org and token-management endpoints, test controls and fault injection.
 *
 * @example
 * import { startGitHubEmulator } from "gatehouse/emulator";
 * const gh = await startGitHubEmulator();
 * // ... sign in against gh.url ...
 * await gh.close();
 */
export { startGitHubEmulator } from "./server.js";
export type { GitHubEmulatorHandle } from "./server.js";
export { createGitHubEmulator } from "./app.js";
export type { CreateGitHubEmulatorOptions, EmulatorAppInfo, GitHubEmulator } from "./app.js";
export { DEFAULT_APP, DEFAULT_USERS } from "./defaults.js";
export { EmulatorError } from "./errors.js";
export type { EmulatorErrorCode } from "./errors.js";
export type {
  EmulatorAppKind,
  EmulatorAppSeed,
  EmulatorCreateTokenOptions,
  EmulatorEmail,
  EmulatorFault,
  EmulatorIssuedToken,
  EmulatorOrgMembership,
  EmulatorRecordedRequest,
  EmulatorRoute,
  EmulatorServerErrorStatus,
  EmulatorTeamMembership,
  EmulatorUserSeed,
  EmulatorProfileUpdate,
  GitHubEmulatorControls,
  GitHubEmulatorOptions,
} from "./types.js";

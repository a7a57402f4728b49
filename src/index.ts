/**
 * Gatehouse: Sign in with GitHub for TypeScript back ends.
 *
 * - `gatehouse/github`: the GitHub OAuth client (no dependencies).
 * - `gatehouse/emulator`: a local GitHub for tests.
 * - `gatehouse`: the users service (`createGatehouse`), its domain (`Users`) and store.
 *
 * @example
 * import { createGatehouse, createNodeHandler } from "gatehouse";
 * const gatehouse = await createGatehouse({ publicUrl, secret, github: { clientId, clientSecret } });
 * http.createServer(createNodeHandler(gatehouse.fetch)).listen(3000);
 */
export { createGatehouse } from "./server/gatehouse.js";
export type { Gatehouse, GatehouseConfig, GitHubSettings } from "./server/gatehouse.js";
export { createNodeHandler, listen } from "./server/node.js";
export type { FetchHandler } from "./server/node.js";
export { createLogger } from "./server/logger.js";
export { loadConfig, ConfigError } from "./config.js";
export type { ServiceConfig } from "./config.js";
export { Users, UsersError, parseTeam, hashPassword, verifyPassword, fromGitHubOAuth } from "./users/index.js";
export type {
  AdminUserUpdate, Authenticated, ClientInfo, DeviceLoginPoll, DeviceLoginStart, DomainLog, GitHubAuthorization,
  GitHubPort, GitHubSignedIn, LoginLimits, NewUser, ProfileUpdate, Role, ScryptParams, SessionInfo, SessionOptions,
  SignedIn, SignInMethod, SignInPolicy, SignupPolicy, User, UserPage, UsersErrorCode, UsersOptions,
} from "./users/index.js";
export { openStore, Store, StoreError } from "./store/index.js";
export type { OpenStoreOptions, StoreErrorCode } from "./store/index.js";

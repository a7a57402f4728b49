/** The users domain: accounts, GitHub identities, sessions, passwords, sign-in policy, stored tokens. */
export { Users } from "./users.js";
export type { UsersOptions } from "./users.js";
export { UsersError } from "./errors.js";
export type { UsersErrorCode } from "./errors.js";
export type {
  AdminUserUpdate, Authenticated, ClientInfo, Identity, NewUser, OAuthLinked, OAuthOutcome, OAuthSignedIn, ProfileUpdate,
  ProviderInfo, Role, SessionInfo, SignedIn, SignInMethod, SignupPolicy, User, UserPage,
} from "./types.js";
export type { GitHubSyncedField, Theme } from "./types.js";
export type { GitHubAuthorization, GitHubSignedIn } from "./github-sign-in.js";
export type { DeviceLoginPoll, DeviceLoginStart } from "./device-login.js";
export type { SignInPolicy } from "./sign-in-policy.js";
export { parseTeam } from "./sign-in-policy.js";
export type { MembershipRule } from "./memberships.js";
export type { SessionOptions } from "./sessions.js";
export type { LoginLimits } from "./password-login.js";
export type { ScryptParams } from "./passwords.js";
export type { GitHubPort } from "./github-port.js";
export type { DomainLog } from "./context.js";
export { hashPassword, verifyPassword } from "./passwords.js";
export { fromGitHubOAuth } from "./github-port.js";
export { checkReturnTo } from "./validation.js";
export { decodeSecret } from "./secret-encoding.js";
export { GITHUB_CALLBACK_PATH, githubCallbackUrl, providerCallbackPath, providerCallbackUrl } from "./callback-url.js";
export type { ProviderAuthorizationStart } from "./provider-sign-in.js";
export type { SignInProvider } from "./provider-port.js";
export { canUnlink } from "./sign-in-methods.js";
export { GITHUB_LOGIN_PATTERN, USERNAME_PATTERN } from "./validation.js";
export { parseUserFieldDefinitions } from "./user-fields.js";
export type { JsonValue, UserFieldDefinition, UserFieldSetter, UserFieldType, UserFieldValue } from "./user-fields.js";

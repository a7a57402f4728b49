/**
 * Gatehouse: Sign in with GitHub for TypeScript back ends.
 *
 * - `gatehouse/github`: the GitHub OAuth client (no dependencies).
 * - `gatehouse/emulator`: a local GitHub for tests.
 * - `gatehouse`: the users service (`createGatehouse`).
 */
export {};

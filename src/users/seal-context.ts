/**
 * Context names sealed values are bound to (AES-GCM additional data): a value sealed for one row
 * and purpose does not open as another's.
 */
export const sealContext = {
  verifier: (bindingHash: string) => `oauth_transactions.code_verifier:${bindingHash}`,
  /** A generic provider's PKCE verifier: its own context, naming the provider it was started for. */
  providerVerifier: (provider: string, bindingHash: string) => `oauth_transactions.code_verifier:${provider}:${bindingHash}`,
  accessToken: (userId: number) => `github_tokens.access_token:${userId}`,
  refreshToken: (userId: number) => `github_tokens.refresh_token:${userId}`,
  deviceCode: (handleHash: string) => `device_logins.device_code:${handleHash}`,
};

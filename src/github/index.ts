/** `gatehouse/github`: the GitHub OAuth client. */
export {};

/** `gatehouse/emulator`: a local GitHub for tests. */
export {};

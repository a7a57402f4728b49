/** Cheap scrypt parameters for tests: the same format and checks as production, 2^10 instead of 2^15. */
export const TEST_SCRYPT = { ln: 10, r: 8, p: 1 };

/** Whether dist/ is missing or older than src/, a tsconfig or package.json. */
export function isStale(): boolean;
/** Compiles src/ to dist/ and stamps it; returns tsc's exit status. */
export function build(): number;

#!/usr/bin/env node
// `npm start`: `gatehouse serve` from dist/, compiled first only when src/ changed since the last
// build (see build.mjs). One process: checking costs a few milliseconds, not a second Node start.
import { build, isStale } from "./build.mjs";

if (isStale()) {
  console.error("gatehouse: src/ changed since the last build; compiling first (npm run build)…");
  const status = build();
  if (status !== 0) process.exit(status);
}
const { runCli } = await import("../dist/cli.js");
process.exitCode = await runCli(["serve", ...process.argv.slice(2)]);

/**
 * The users service and the GitHub emulator as real servers (the shared harness of test/server),
 * with the emulator's default users (octocat, monalisa, hubot, newbie), SQLite in a temp folder, and
 * a device interval of 1 s so terminal sign-ins take about a second.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_USERS } from "../../src/emulator/index.js";
import { startStack } from "../server/harness.js";
import type { Stack, StackOptions } from "../server/harness.js";

export type ServiceStack = Stack;

/** Starts the emulator and the service (with `config`, when given); `close()` also removes the database folder. */
export async function startServiceStack(config?: StackOptions["config"]): Promise<ServiceStack> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-stack-"));
  const stack = await startStack({ database: `sqlite:${join(dir, "gatehouse.db")}`, users: [...DEFAULT_USERS], deviceInterval: 1, ...(config ? { config } : {}) });
  return {
    ...stack,
    async close() {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

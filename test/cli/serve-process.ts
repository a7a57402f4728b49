/**
 * `gatehouse serve` as a real child process, the way `npm start` runs it, with the demo emulator
 * standing in for GitHub. Not a test file: imported by them.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { Browser } from "../server/harness.js";
import { cliEnv, startCli } from "./run-cli.js";
import type { CliProcess, CliResult } from "./run-cli.js";

/** A running `gatehouse serve` once it printed "Sign in at". */
export interface ServeProcess {
  proc: CliProcess;
  /** The printed "Sign in at" URL. */
  loginUrl: URL;
  /** The demo emulator's URL (from the "built-in emulator at" line). */
  githubUrl: string;
  /** SIGTERM, then its end. */
  stop(): Promise<CliResult>;
}

/**
 * Starts `gatehouse serve` with `env` on top of a clean environment (no GitHub app: the demo), in
 * `cwd` when given (where the default `./gatehouse.db` and `./.gatehouse/` go).
 *
 * @example
 * const serve = await startServe({ GATEHOUSE_PORT: "0", GATEHOUSE_DATABASE_URL: `sqlite:${db}`, GATEHOUSE_DATA_DIR: dir });
 */
export async function startServe(env: Record<string, string>, cwd?: string): Promise<ServeProcess> {
  const base = cliEnv(env);
  for (const name of Object.keys(base)) if (name.startsWith("GATEHOUSE_") && !(name in env)) delete base[name];
  const proc = cwd === undefined ? startCli(["serve"], base) : startCli(["serve"], base, "", cwd);
  try {
    const [, login] = await proc.waitForStdout(/Sign in at (\S+)/);
    const githubUrl = /built-in emulator at (http:\/\/\S+?)[ ,]/.exec(proc.stdout())?.[1] ?? "";
    return {
      proc,
      loginUrl: new URL(login ?? ""),
      githubUrl,
      stop: () => {
        proc.child.kill("SIGTERM");
        return proc.done;
      },
    };
  } catch (err) {
    proc.child.kill("SIGTERM");
    throw err;
  }
}

/** Signs in through the demo emulator as `login` (approved with the emulator's HTTP control); returns the signed-in browser. */
export async function signInThroughDemo(serve: ServeProcess, login: string): Promise<Browser> {
  const control = await fetch(`${serve.githubUrl}/_emulator/auto-approve`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ login }) });
  if (!control.ok) throw new Error(`auto-approve: ${control.status} ${await control.text()}`);
  const browser = new Browser(serve.loginUrl.origin);
  const start = await browser.fetch("/auth/github");
  const authorize = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
  const callback = authorize.headers.get("location");
  if (!callback) throw new Error(`the emulator did not redirect: ${authorize.status} ${await authorize.text()}`);
  const back = await browser.fetch(callback);
  if (back.status !== 302 || back.headers.get("location")?.startsWith("/login")) throw new Error(`sign-in failed: ${back.status} ${back.headers.get("location")}`);
  return browser;
}

function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(undefined));
    s.listen(port, "127.0.0.1", () => resolve(s));
  });
}

const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

/** The first port of the kernel's ephemeral range (Linux's; 32768 where it cannot be read). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/**
 * A free port P on 127.0.0.1 whose P + 1 (the demo emulator's) is free too, below the kernel's
 * ephemeral range: there no `listen(0)` and no outgoing connection (whose TIME_WAIT blocks a bind
 * for a minute) takes either port before the child binds it, or between its stop and restart.
 */
export async function freePortPair(): Promise<number> {
  const low = ephemeralLow();
  for (let i = 0; i < 50; i++) {
    const first = await listenOn(10_000 + Math.floor(Math.random() * (low - 10_002)));
    if (!first) continue;
    const port = (first.address() as { port: number }).port;
    const second = port < 65535 ? await listenOn(port + 1) : undefined;
    await close(first);
    if (second) {
      await close(second);
      return port;
    }
  }
  throw new Error("no two consecutive free ports");
}

/**
 * Holds `port` on 127.0.0.1 (or any free one with 0) until `release()`.
 *
 * @example
 * const taken = await holdPort(0); // taken.port is in use
 */
export async function holdPort(port: number): Promise<{ port: number; release(): Promise<void> }> {
  const s = await listenOn(port);
  if (!s) throw new Error(`port ${port} is taken`);
  return { port: (s.address() as { port: number }).port, release: () => close(s) };
}

/** `gatehouse emulator`: runs the local GitHub emulator until Ctrl-C. */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { startGitHubEmulator } from "../emulator/index.js";
import type { GitHubEmulatorOptions } from "../emulator/index.js";

const HELP = `Usage: gatehouse emulator [--port N] [--config file.json]

Runs a local GitHub (OAuth web and device flow, REST API, test controls) on 127.0.0.1.

Options:
  --port N            TCP port (default 0: a free port; the URL is printed)
  --config FILE       JSON options: { "apps": [...], "users": [...], "autoApprove": "login",
                      "deviceInterval": 5, "port": 8080 } (see the README's emulator section)
  -h, --help          show this help

Stops on Ctrl-C (SIGINT) or SIGTERM.`;

async function loadConfig(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read --config ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`--config ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`--config ${path} must hold a JSON object`);
  return Object.fromEntries(Object.entries(value));
}

/** Runs the emulator; resolves with the exit code once stopped by a signal. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { port: { type: "string" }, config: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
  } catch (err) {
    console.error(`gatehouse emulator: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (args.values.help) {
    console.log(HELP);
    return 0;
  }
  const config = args.values.config === undefined ? {} : await loadConfig(args.values.config);
  const portText = args.values.port;
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) {
    console.error(`gatehouse emulator: --port must be a number from 0 to 65535, got '${portText}'`);
    return 2;
  }
  // The options are validated by the emulator itself (a bad field is named in the error).
  const options = { ...config, ...(portText === undefined ? {} : { port: Number(portText) }) } as GitHubEmulatorOptions;
  const gh = await startGitHubEmulator(options);
  // Listen for the signals before printing: whoever reads the URL may stop us at once.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });

  const lines = [`GitHub emulator listening on ${gh.url}`, `  web/OAuth: ${gh.url}   API: ${gh.url} (or ${gh.apiUrl})   issuer: ${gh.issuer}`, ""];
  for (const app of gh.apps()) {
    lines.push(`  ${app.kind} "${app.name}"`, `    client id:     ${app.clientId}`, `    client secret: ${app.clientSecret}`, `    callbacks:     ${app.callbackUrls.join(", ")}`);
  }
  lines.push("", "  users:");
  for (const u of gh.users()) lines.push(`    ${u.login.padEnd(16)} id ${String(u.id).padEnd(8)} ${u.name ?? ""}`);
  lines.push("", `  controls: ${gh.url}/_emulator/   (Ctrl-C to stop)`);
  console.log(lines.join("\n"));

  await stopped;
  await gh.close();
  console.log("GitHub emulator stopped.");
  return 0;
}

/**
 * Argument parsing for the sub-commands: `node:util` `parseArgs` in strict mode, every command
 * with `-h/--help`, and parse failures as one-line usage errors (exit status 2).
 */
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { CliError } from "./cli-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

const HELP = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parses `argv` against `options` (plus `-h/--help`) and checks that exactly the named operands
 * are there. Throws `CliError("usage")` with the first sentence of Node's message.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(argv, { role: { type: "string" } }, ["USERNAME"]);
 * if (values.help) { console.log(HELP); return 0; }
 */
export function parseCommandArgs<const O extends Options>(argv: string[], options: O, operands: readonly string[] = []) {
  const config = { args: argv, options: { ...options, ...HELP } as O & typeof HELP, strict: true, allowPositionals: true } as const;
  let parsed;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    // Node's messages add a paragraph on how to pass '-'-prefixed operands; the first sentence says it.
    const message = err instanceof Error ? err.message.split(/\.\s/)[0] ?? err.message : String(err);
    throw new CliError("usage", message.replace(/\.$/, ""), { cause: err });
  }
  if (!("help" in parsed.values && parsed.values.help === true)) {
    const missing = operands[parsed.positionals.length];
    if (missing !== undefined) throw new CliError("usage", `missing ${missing}`);
    const extra = parsed.positionals[operands.length];
    if (extra !== undefined) throw new CliError("usage", `unexpected operand '${extra}'`);
  }
  return parsed;
}

/**
 * Argument parsing for the sub-commands: `node:util` `parseArgs` in strict mode, every command
 * with `-h/--help`, and parse failures as one-line usage errors (exit status 2).
 */
import { parseArgs } from "node:util";
import { CliError } from "./cli-error.js";

/** An option: a string value or a flag (never repeated: the last one wins would hide mistakes). */
export type OptionSpec = { type: "string"; short?: string } | { type: "boolean"; short?: string };

/** The parsed values: strings for string options, `true` for flags given, absent otherwise; plus `help`. */
export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K] extends { type: "string" } ? string : boolean;
} & { help?: boolean };

const HELP = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parses `argv` against `options` (plus `-h/--help`) and checks that exactly the named operands
 * are there. Throws `CliError("usage")` with the first sentence of Node's message.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(argv, { role: { type: "string" } }, ["USERNAME"]);
 * if (values.help) { console.log(HELP); return 0; }
 */
export function parseCommandArgs<const O extends Record<string, OptionSpec>>(
  argv: string[],
  options: O,
  operands: readonly string[] = [],
): { values: OptionValues<O>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, ...HELP }, strict: true, allowPositionals: true });
  } catch (err) {
    // Node's messages add a paragraph on how to pass '-'-prefixed operands; the first sentence says it.
    const message = err instanceof Error ? err.message.split(/\.\s/)[0] ?? err.message : String(err);
    throw new CliError("usage", message.replace(/\.$/, ""), { cause: err });
  }
  // strict parseArgs gives exactly this shape for these options (no `multiple`, no defaults).
  const values = parsed.values as OptionValues<O>;
  if (values.help !== true) {
    const missing = operands[parsed.positionals.length];
    if (missing !== undefined) throw new CliError("usage", `missing ${missing}`);
    const extra = parsed.positionals[operands.length];
    if (extra !== undefined) throw new CliError("usage", `unexpected operand '${extra}'`);
  }
  return { values, positionals: parsed.positionals };
}

/**
 * Reading from the person at the terminal: a secret typed without echo, a visible answer, or
 * everything piped on stdin. Prompts go to stderr so stdout stays the command's output.
 */
import { createInterface } from "node:readline/promises";
import { CliError } from "./cli-error.js";

const MAX_STDIN_BYTES = 64 * 1024;

/** Whether stdin is a terminal (a person can answer). */
export function stdinIsTerminal(): boolean {
  return process.stdin.isTTY === true;
}

/**
 * Everything on stdin (up to 64 KiB), for `--password-stdin`; one trailing newline is dropped
 * (`echo secret | ...` adds it).
 *
 * @example
 * const password = await readStdinLine();
 */
export async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new CliError("usage", "stdin is too long for a password");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/**
 * Asks for a secret on the terminal without echoing it (raw mode). Ctrl-C is `CliError("cancelled")`.
 *
 * @example
 * const password = await promptHidden("Password: ");
 */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  // Echo off before the prompt shows: whatever is typed once it is visible must not be echoed.
  input.setRawMode(true);
  process.stderr.write(question);
  input.setEncoding("utf8");
  input.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (outcome: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      outcome();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish(() => resolve(value));
        if (ch === "\u0003") return finish(() => reject(new CliError("cancelled", "cancelled")));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
  });
}

/**
 * Asks a question on the terminal and returns the answer, trimmed. Ctrl-C is `CliError("cancelled")`.
 *
 * @example
 * if ((await promptLine("Type the username to confirm: ")) !== username) throw new CliError("declined", "not deleted");
 */
export async function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const controller = new AbortController();
  rl.on("SIGINT", () => controller.abort());
  try {
    return (await rl.question(question, { signal: controller.signal })).trim();
  } catch (err) {
    throw new CliError("cancelled", "cancelled", { cause: err });
  } finally {
    rl.close();
  }
}

/** `gatehouse emulator`: placeholder until its issue lands. */
export async function main(_argv: string[]): Promise<number> {
  console.error("gatehouse emulator: not available yet");
  return 1;
}

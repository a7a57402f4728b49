/** `gatehouse migrate`: placeholder until its issue lands. */
export async function main(_argv: string[]): Promise<number> {
  console.error("gatehouse migrate: not available yet");
  return 1;
}

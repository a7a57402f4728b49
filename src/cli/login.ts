/** `gatehouse login | whoami | logout`: placeholder until its issue lands. */
async function notYet(): Promise<number> {
  console.error("gatehouse: terminal sign-in is not available yet");
  return 1;
}
export const login = notYet;
export const whoami = notYet;
export const logout = notYet;

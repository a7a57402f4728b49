/** A clock tests move by hand (epoch ms, like `Date.now`), instead of sleeping for real. */
export function manualClock(start = Date.parse("2026-01-01T00:00:00Z")) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/**
 * A clock that runs in real time and that tests can move ahead: for a peer that waits for real
 * (an Octokit client polling every second) next to a step the test wants to skip.
 */
export function aheadClock() {
  let ahead = 0;
  return { now: () => Date.now() + ahead, advance: (ms: number) => void (ahead += ms) };
}

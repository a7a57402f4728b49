/** A clock tests move by hand (epoch ms, like `Date.now`), instead of sleeping for real. */
export function manualClock(start = Date.parse("2026-01-01T00:00:00Z")) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

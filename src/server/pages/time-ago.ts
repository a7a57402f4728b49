/** "3 minutes ago": how pages show instants, next to the exact time in `<time datetime>`. */

const UNITS: [number, string][] = [
  [365 * 24 * 3600, "year"],
  [30 * 24 * 3600, "month"],
  [7 * 24 * 3600, "week"],
  [24 * 3600, "day"],
  [3600, "hour"],
  [60, "minute"],
];

/**
 * A short relative time.
 *
 * @example
 * timeAgo(new Date(now - 5 * 60_000), now); // "5 minutes ago"
 */
export function timeAgo(when: Date, now: number): string {
  const seconds = Math.round((now - when.getTime()) / 1000);
  if (seconds < 60) return "just now";
  for (const [size, unit] of UNITS) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
    }
  }
  return "just now";
}

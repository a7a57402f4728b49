/** Constant-time string comparison for secrets such as `state` (no early exit on the first difference). */
const encoder = new TextEncoder();

/** True when `a` and `b` are equal; the time taken depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

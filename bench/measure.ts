/** Timing helpers for the benchmarks: warm up, run a bounded number of iterations, report percentiles. */
import { performance } from "node:perf_hooks";

export interface Figures {
  name: string;
  iterations: number;
  opsPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  note?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `fn` `iterations` times one after the other (after `warmup` untimed runs). */
export async function measure(name: string, iterations: number, fn: (i: number) => Promise<unknown> | unknown, warmup = Math.min(50, iterations)): Promise<Figures> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  return { name, iterations, opsPerSecond: (iterations / total) * 1000, meanMs: total / iterations, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

/** Runs `total` calls of `fn` from `concurrency` workers at once; latency per call, throughput overall. */
export async function measureConcurrent(name: string, total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<Figures> {
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      times.push(performance.now() - t);
    }
  }));
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  return { name: `${name} (${concurrency} concurrent)`, iterations: total, opsPerSecond: (total / elapsed) * 1000, meanMs: times.reduce((a, b) => a + b, 0) / total, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

/** One line a figure, aligned. */
export function report(rows: Figures[]): string {
  const w = Math.max(...rows.map((r) => r.name.length));
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
  return rows
    .map((r) => `${r.name.padEnd(w)}  ${fmt(r.opsPerSecond).padStart(8)} ops/s  mean ${fmt(r.meanMs).padStart(7)} ms  p50 ${fmt(r.p50Ms).padStart(7)} ms  p99 ${fmt(r.p99Ms).padStart(7)} ms  (n=${r.iterations})${r.note ? `  ${r.note}` : ""}`)
    .join("\n");
}

/**
 * `npm run bench -- --scale[=ROWS]`: is the hot path flat with size? The session check and the
 * GitHub sign-in on a database holding ROWS users and ROWS live sessions (default 1,000,000),
 * beside the same on one holding 1,000; SQLite and PostgreSQL. Rows go in by batched inserts.
 * Takes minutes at a million; never part of `npm test`.
 */
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Store } from "../src/store/index.js";
import { postgresDatabase, sqliteDatabase } from "../test/store/databases.js";
import { startPostgres } from "../scripts/postgres.mjs";
import pg from "pg";
import { measureDatabase, openBenchDatabase } from "./database.js";
import type { BenchTarget } from "./database.js";
import { report, type Figures } from "./measure.js";

const BATCH = 1000;
const DAY = 24 * 60 * 60 * 1000;

/** `rows` users (ids 1..rows in a fresh database) and one live session each. */
async function fill(store: Store, rows: number): Promise<void> {
  const now = Date.now();
  const started = performance.now();
  for (let from = 0; from < rows; from += BATCH) {
    const n = Math.min(BATCH, rows - from);
    await store.users.insertMany(Array.from({ length: n }, (_, k) => {
      const i = from + k + 1;
      return { username: `user${i}`, name: `User ${i}`, email: `user${i}@example.com`, avatar_url: null, theme: null, role: "user",
        password_hash: null, github_id: 10_000_000 + i, github_login: `user${i}`, invited_github_login: null,
        created_at: now, updated_at: now, last_sign_in_at: now };
    }));
  }
  for (let from = 0; from < rows; from += BATCH) {
    const n = Math.min(BATCH, rows - from);
    await store.sessions.insertMany(Array.from({ length: n }, (_, k) => {
      const i = from + k + 1;
      return { id: `s${i}`.padEnd(22, "x"), token_hash: createHash("sha256").update(`bench-session-${i}`).digest("hex"), user_id: i,
        method: "github", user_agent: "bench", ip: "127.0.0.1", created_at: now, last_seen_at: now, expires_at: now + 30 * DAY };
    }));
  }
  console.log(`# filled ${rows} users and ${rows} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** After a bulk load, PostgreSQL's statistics and visibility map are what autovacuum would leave: made now, not during the timing. */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("vacuum analyze");
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * The figures at the first size and at each other, for SQLite and (when it starts here)
 * PostgreSQL, then the ratios. Every size is filled first; then `rounds` rounds measure each size
 * in turn, so a change in the machine's load falls on all of them, and each figure is the median of
 * its rounds' p50s (after one throwaway round per size).
 */
export async function benchScale(sizes: number[], N: (n: number) => number, rounds = 3): Promise<string[]> {
  const sqlite = sqliteDatabase();
  const pgServer = process.env.GATEHOUSE_TEST_POSTGRES_URL ? { url: process.env.GATEHOUSE_TEST_POSTGRES_URL, stop: () => {} } : await startPostgres();
  const kinds = [{ name: "SQLite", db: sqlite }, ...(pgServer.url ? [{ name: "PostgreSQL", db: postgresDatabase(pgServer.url) }] : [])];
  const lines: string[] = pgServer.url ? [] : [`# PostgreSQL skipped: ${"reason" in pgServer ? pgServer.reason : ""}`];
  try {
    for (const kind of kinds) {
      const targets: BenchTarget[] = [];
      try {
        for (const size of sizes) {
          const url = await kind.db.fresh();
          targets.push(await openBenchDatabase(url, async (store) => {
            await fill(store, size);
            if (kind.name === "PostgreSQL") await settle(url);
          }));
        }
        const bySize: Figures[][][] = sizes.map(() => []);
        for (let round = -1; round < rounds; round++) {
          for (const [i, size] of sizes.entries()) {
            const figures = await measureDatabase(`${kind.name} ${size.toLocaleString("en")} rows`, targets[i]!, round < 0 ? (n) => Math.max(10, Math.round(n / 10)) : N);
            if (round >= 0) bySize[i]!.push(figures);
          }
        }
        // Per size, each figure's row with the median p50 of the rounds.
        const medians = bySize.map((runs) => runs[0]!.map((_, j) => {
          const p50 = median(runs.map((r) => r[j]!.p50Ms));
          return { ...runs.find((r) => r[j]!.p50Ms === p50)![j]!, note: `median p50 of ${rounds} rounds: ${runs.map((r) => r[j]!.p50Ms.toFixed(3)).join(", ")} ms` };
        }));
        lines.push(report(medians.flat()));
        const [base, ...rest] = medians;
        for (const [i, figures] of rest.entries()) {
          for (const [j, f] of figures.entries()) {
            const b = base?.[j];
            if (b) lines.push(`${kind.name}: ${f.name.replace(/^.* rows: /, "")} at ${sizes[i + 1]?.toLocaleString("en")} rows / at ${sizes[0]?.toLocaleString("en")}: p50 ×${(f.p50Ms / b.p50Ms).toFixed(2)}`);
          }
        }
      } finally {
        for (const t of targets) await t.close();
        await kind.db.cleanup();
      }
    }
  } finally {
    pgServer.stop?.();
  }
  return lines;
}

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
import { benchDatabase } from "./database.js";
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

/** The figures at each size, for SQLite and (when it starts here) PostgreSQL, then the ratios. */
export async function benchScale(sizes: number[], N: (n: number) => number): Promise<string[]> {
  const sqlite = sqliteDatabase();
  const pg = process.env.GATEHOUSE_TEST_POSTGRES_URL ? { url: process.env.GATEHOUSE_TEST_POSTGRES_URL, stop: () => {} } : await startPostgres();
  const kinds = [{ name: "SQLite", db: sqlite }, ...(pg.url ? [{ name: "PostgreSQL", db: postgresDatabase(pg.url) }] : [])];
  const lines: string[] = pg.url ? [] : [`# PostgreSQL skipped: ${"reason" in pg ? pg.reason : ""}`];
  try {
    for (const kind of kinds) {
      const bySize: Figures[][] = [];
      // A throwaway round first: the first figures of a process are taken before the JIT has warmed up.
      await benchDatabase(`${kind.name} warm-up`, await kind.db.fresh(), (n) => Math.max(10, Math.round(n / 10)));
      for (const size of sizes) {
        bySize.push(await benchDatabase(`${kind.name} ${size.toLocaleString("en")} rows`, await kind.db.fresh(), N, (store) => fill(store, size)));
      }
      lines.push(report(bySize.flat()));
      const [base, ...rest] = bySize;
      for (const [i, figures] of rest.entries()) {
        for (const [j, f] of figures.entries()) {
          const b = base?.[j];
          // The median is the figure to compare on a shared machine: throughput and means follow whatever else runs.
          if (b) lines.push(`${kind.name}: ${f.name.replace(/^.* rows: /, "")} at ${sizes[i + 1]?.toLocaleString("en")} rows / at ${sizes[0]?.toLocaleString("en")}: p50 ×${(f.p50Ms / b.p50Ms).toFixed(2)}, throughput ×${(f.opsPerSecond / b.opsPerSecond).toFixed(2)}`);
        }
      }
      await kind.db.cleanup();
    }
  } finally {
    pg.stop?.();
  }
  return lines;
}

/**
 * The service's view of its database: a cheap, rate-limited write probe for `/healthz`, and the
 * outage state the error mapping reports to. An outage is logged once when it starts and once when
 * it ends (not a stack per refused request); while it lasts, a background probe notices the
 * database coming back, so the service recovers on its own.
 */
import type { Logger } from "pino";
import { isDatabaseUnavailable } from "../store/index.js";

/** Seconds a client is told to wait (`retry-after`) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_S = 5;

/** Options of {@link DatabaseHealth}. */
export interface DatabaseHealthOptions {
  /** One write to the database; rejects when it cannot take writes. */
  probe: (now: number) => Promise<void>;
  logger: Logger;
  now: () => number;
  /** A probe result is reused for this long, so `/healthz` cannot be turned into a write flood. Default 1000. */
  probeTtlMs?: number;
  /** How often the database is re-probed during an outage. Default 2000. */
  recoveryIntervalMs?: number;
}

/**
 * @example
 * const health = new DatabaseHealth({ probe: (now) => store.probeWrite(now), logger, now: Date.now });
 * const ok = await health.check(); // false while the database refuses writes
 */
export class DatabaseHealth {
  private outage: { since: number; refused: number } | undefined;
  private last: { at: number; ok: boolean } | undefined;
  private inFlight: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: DatabaseHealthOptions) {}

  /** Whether an outage is in progress (a request was refused and no probe has succeeded since). */
  get unavailable(): boolean {
    return this.outage !== undefined;
  }

  /**
   * Whether the database takes writes now: one probe at most per `probeTtlMs`, shared by
   * concurrent callers.
   */
  async check(): Promise<boolean> {
    const ttl = this.options.probeTtlMs ?? 1000;
    if (this.last && this.options.now() - this.last.at < ttl) return this.last.ok;
    this.inFlight ??= this.runProbe().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * Reports an error met while serving a request: true (and the outage noted) when it says the
   * database is unavailable, false for any other error.
   */
  refused(err: unknown): boolean {
    if (!isDatabaseUnavailable(err)) return false;
    this.startOutage(err);
    this.outage!.refused += 1;
    return true;
  }

  /** Stops the recovery probe (the service is closing). */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async runProbe(): Promise<boolean> {
    const at = this.options.now();
    let ok: boolean;
    try {
      await this.options.probe(at);
      ok = true;
      this.endOutage();
    } catch (err) {
      ok = false;
      this.startOutage(err);
    }
    this.last = { at, ok };
    return ok;
  }

  private startOutage(err: unknown): void {
    if (this.outage) return;
    this.outage = { since: this.options.now(), refused: 0 };
    // The driver's code and message say what happened (read-only, locked, refused); no stack, no URL.
    const cause = err instanceof Error ? { code: "code" in err ? err.code : undefined, message: err.message } : { message: String(err) };
    this.options.logger.error({ cause }, "database unavailable: answering 503 database_unavailable until it takes writes again");
    if (this.closed) return;
    this.timer = setInterval(() => void this.check(), this.options.recoveryIntervalMs ?? 2000);
    this.timer.unref();
  }

  private endOutage(): void {
    if (!this.outage) return;
    const { since, refused } = this.outage;
    this.outage = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.options.logger.info({ outageMs: this.options.now() - since, refused }, "database available again");
  }
}

/**
 * Stopping a Node HTTP server without dropping requests: stop accepting, let the requests in
 * flight finish (bounded), then cut what is left. The database is closed only after this, so no
 * request meets a closed pool.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

type Listener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * Counts the requests in flight of the listeners it wraps.
 *
 * @example
 * const requests = new InFlightRequests();
 * const { server } = await listen(requests.wrap(handler), { port: 3000 });
 * process.once("SIGTERM", async () => { await requests.closeServer(server, 10_000); await gatehouse.close(); });
 */
export class InFlightRequests {
  private active = 0;
  private draining = false;
  private waiters: Array<() => void> = [];

  /** How many requests have started and not yet ended. */
  get count(): number {
    return this.active;
  }

  wrap(listener: Listener): Listener {
    return (req, res) => {
      this.active += 1;
      // A keep-alive connection that brings another request while we stop: serve it, then close.
      if (this.draining) res.setHeader("connection", "close");
      res.once("close", () => {
        this.active -= 1;
        if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
      });
      return listener(req, res);
    };
  }

  /**
   * Stops accepting connections, waits up to `timeoutMs` for the requests in flight, then closes
   * every connection left. Resolves with how many requests were cut off (0 when all finished).
   */
  async closeServer(server: Server, timeoutMs: number): Promise<number> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<void>((resolve) => {
      if (this.active === 0) resolve();
      else this.waiters.push(resolve);
    });
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([idle, deadline]);
    clearTimeout(timer);
    const cut = this.active;
    server.closeAllConnections();
    await closed;
    return cut;
  }
}

/** Injected faults: queued per route, each for its next `times` requests. */
import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorFault, EmulatorRoute } from "./types.js";

const DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";

interface Queued {
  fault: EmulatorFault;
  remaining: number;
}

export class FaultQueue {
  private readonly queues = new Map<EmulatorRoute, Queued[]>();

  add(route: EmulatorRoute, fault: EmulatorFault): void {
    const queue = this.queues.get(route) ?? [];
    queue.push({ fault, remaining: fault.times ?? 1 });
    this.queues.set(route, queue);
  }

  /** The fault for this request on `route`, if one is queued (counts it as used). */
  take(route: EmulatorRoute): EmulatorFault | null {
    const queue = this.queues.get(route);
    const head = queue?.[0];
    if (!queue || !head) return null;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) this.queues.delete(route);
    return head.fault;
  }

  clear(): void {
    this.queues.clear();
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

/**
 * Applies a fault around `handle`: answers instead of it (status, rate limit), delays it, or
 * mangles its answer (malformed).
 */
export async function applyFault(fault: EmulatorFault, nowMs: number, handle: () => Promise<Response>): Promise<Response> {
  if ("status" in fault && !("rateLimit" in fault)) {
    const message = fault.status === 500 ? "Server Error" : fault.status === 502 ? "Bad Gateway" : "Service Unavailable";
    return json(fault.status, { message });
  }
  if ("rateLimit" in fault) {
    const retryAfter = fault.retryAfter ?? 60;
    const reset = String(Math.floor(nowMs / 1000) + retryAfter);
    if (fault.rateLimit === "primary") {
      // Primary limit: remaining 0; clients wait until x-ratelimit-reset.
      const headers: Record<string, string> = {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": reset,
        "x-ratelimit-resource": "core",
      };
      if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
      return json(fault.status ?? 403, { message: "API rate limit exceeded for user ID 1.", documentation_url: DOCS, status: String(fault.status ?? 403) }, headers);
    }
    // Secondary limit: remaining is not 0; the message says "secondary rate limit"; retry-after set.
    return json(
      fault.status ?? 403,
      {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        documentation_url: `${DOCS}#about-secondary-rate-limits`,
        status: String(fault.status ?? 403),
      },
      { "retry-after": String(retryAfter), "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999", "x-ratelimit-used": "1", "x-ratelimit-reset": reset, "x-ratelimit-resource": "core" },
    );
  }
  if ("delayMs" in fault) {
    await sleep(fault.delayMs);
    return handle();
  }
  const real = await handle();
  const text = await real.text();
  const headers = new Headers(real.headers);
  headers.delete("content-length");
  // Half the real body: invalid JSON/XML, or a form with fields missing.
  const cut = text.length > 1 ? text.slice(0, Math.floor(text.length / 2)) : "{";
  return new Response(cut, { status: real.status === 204 ? 200 : real.status, headers });
}

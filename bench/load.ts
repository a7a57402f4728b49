/**
 * A small HTTP/1.1 load generator: `connections` keep-alive sockets, each sending one request and
 * waiting for its whole response before the next (no pipelining), for `durationMs`. Raw sockets, not
 * `fetch`, so the generator costs little CPU on a machine it shares with the server it measures;
 * the same generator measures every server, so the ratios between them are what counts.
 */
import { connect } from "node:net";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Every response must have this status; another stops the run with an error. */
  expectStatus?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const HEADER_END = Buffer.from("\r\n\r\n");
const CHUNKED_END = Buffer.from("0\r\n\r\n");

/** Bytes a response takes in `buf`, or -1 while it is incomplete; its status too. */
function responseLength(buf: Buffer): { length: number; status: number } {
  const headEnd = buf.indexOf(HEADER_END);
  if (headEnd < 0) return { length: -1, status: 0 };
  const head = buf.toString("latin1", 0, headEnd);
  const status = Number(head.slice(9, 12));
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (cl) {
    const total = headEnd + 4 + Number(cl[1]);
    return { length: buf.length >= total ? total : -1, status };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buf.indexOf(CHUNKED_END, headEnd + 4);
    return { length: end < 0 ? -1 : end + CHUNKED_END.length, status };
  }
  return { length: headEnd + 4, status };
}

/**
 * Runs the load and resolves with throughput and latency percentiles.
 *
 * @example
 * const r = await runLoad({ url: "http://127.0.0.1:3000/", connections: 16, durationMs: 5000 });
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, "connection: keep-alive"];
  for (const [k, v] of Object.entries(options.headers ?? {})) lines.push(`${k}: ${v}`);
  const request = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  const times: number[] = [];
  let stopped = false;
  let failure: Error | undefined;
  const start = performance.now();
  const deadline = start + options.durationMs;

  const worker = () => new Promise<void>((resolve) => {
    const socket: Socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      if (stopped || performance.now() >= deadline) {
        socket.end();
        return;
      }
      sentAt = performance.now();
      socket.write(request);
    };
    socket.on("connect", send);
    socket.on("data", (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const { length, status } = responseLength(buf);
      if (length < 0) return;
      times.push(performance.now() - sentAt);
      buf = buf.subarray(length);
      if (options.expectStatus !== undefined && status !== options.expectStatus) {
        failure ??= new Error(`${options.url}: status ${status}, expected ${options.expectStatus}`);
        stopped = true;
      }
      send();
    });
    socket.on("error", (err) => {
      failure ??= err;
      stopped = true;
      resolve();
    });
    socket.on("close", () => resolve());
  });

  await Promise.all(Array.from({ length: options.connections }, worker));
  if (failure) throw failure;
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return { requests: times.length, requestsPerSecond: (times.length / elapsed) * 1000, p50Ms: at(50), p99Ms: at(99) };
}

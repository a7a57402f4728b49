/**
 * Step 2 of the device flow: poll the token endpoint until the user is done
 * ([RFC 8628 §3.4–3.5](https://www.rfc-editor.org/rfc/rfc8628#section-3.5); docs/github-protocol.md §5).
 */
import type { ClientContext } from "./context.js";
import { DEFAULT_INTERVAL } from "./device-code.js";
import { pollDeviceTokenOnce } from "./device-token.js";
import { GitHubNetworkError, GitHubOAuthError } from "./errors.js";
import type { DeviceCode, TokenSet } from "./types.js";

/**
 * Options of {@link GitHubOAuth.pollDeviceToken}.
 *
 * @example
 * ```ts
 * await github.pollDeviceToken(device, { signal: AbortSignal.timeout(900_000), sleep: fakeSleep, now: fakeNow });
 * ```
 */
export interface PollDeviceTokenOptions {
  /** Stops polling; the call rejects with a `GitHubNetworkError` of code `aborted`. */
  signal?: AbortSignal;
  /** Called after each `authorization_pending` or `slow_down`, with the interval now in force. */
  onPending?: (info: DevicePending) => void;
  /**
   * Waits `ms` milliseconds (default: `setTimeout`). Inject one for tests, e.g. one that advances
   * a fake clock; it should reject or return early when `signal` aborts.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for the local deadline, epoch ms (default: the client's `now`, itself `Date.now`). */
  now?: () => number;
}

/**
 * Progress report of a device-flow poll.
 *
 * @example
 * ```ts
 * await github.pollDeviceToken(device, { onPending: (p) => console.log(`waiting ${p.interval}s (${p.reason})`) });
 * ```
 */
export interface DevicePending {
  reason: "authorization_pending" | "slow_down";
  /** Seconds until the next poll. */
  interval: number;
  /** Number of polls made so far. */
  attempt: number;
}

function abortError(signal: AbortSignal): GitHubNetworkError {
  return new GitHubNetworkError("aborted", "device polling", signal.reason);
}

/** `setTimeout` as a promise that rejects as soon as `signal` aborts. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function expired(): GitHubOAuthError {
  return new GitHubOAuthError("expired_token", { message: "The device code expired before the user finished (local deadline)" });
}

/**
 * Polls until a token, a final error, the local deadline or the abort signal. Waits `interval`
 * before every poll (also the first: RFC 8628 §3.5); each `slow_down` raises the interval by 5 s
 * (or to the body's `interval` when larger) for every later poll, plus 1 s of margin: GitHub
 * raises its own interval by the same 5 s, so a client whose timer runs early would otherwise be
 * told `slow_down` forever. A timeout, network failure or 5xx without an OAuth error body (an
 * outage, not an answer) doubles the interval (RFC 8628 §3.5, "reduce the polling frequency").
 * `expired_token`, `access_denied` and any other error end polling.
 */
export async function pollDeviceToken(ctx: ClientContext, device: DeviceCode, options: PollDeviceTokenOptions): Promise<TokenSet> {
  const { signal, onPending } = options;
  const now = options.now ?? ctx.now;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = device.expiresAt.getTime();
  let interval = device.interval > 0 ? device.interval : DEFAULT_INTERVAL;
  let marginS = 0;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    const waitMs = (interval + marginS) * 1000;
    // Never sleep past the deadline only to poll a dead code.
    if (now() + waitMs >= deadline) throw expired();
    await sleep(waitMs, signal);
    if (signal?.aborted) throw abortError(signal);
    try {
      return await pollDeviceTokenOnce(ctx, device.deviceCode, { signal });
    } catch (err) {
      if (err instanceof GitHubOAuthError && err.code === "authorization_pending") {
        onPending?.({ reason: "authorization_pending", interval, attempt });
      } else if (err instanceof GitHubOAuthError && err.code === "slow_down") {
        interval = Math.max(interval + 5, err.interval ?? 0);
        marginS += 1;
        onPending?.({ reason: "slow_down", interval, attempt });
      } else if ((err instanceof GitHubNetworkError && err.code !== "aborted") || (err instanceof GitHubOAuthError && err.code === "server_error")) {
        interval *= 2;
      } else {
        throw err;
      }
    }
  }
}

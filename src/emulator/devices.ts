/** Device-flow authorizations (RFC 8628): pending until approved, denied, used or expired. */
import { EmulatorError } from "./errors.js";
import { digest, newDeviceCode, newUserCode } from "./secrets.js";

/** GitHub: device codes expire after 15 minutes (`expires_in: 900`). */
export const DEVICE_CODE_TTL_S = 900;
/** GitHub's `slow_down` adds 5 seconds to the interval (RFC 8628 §3.5). */
const SLOW_DOWN_STEP_S = 5;
/** Timer jitter allowance for a poll that waited the interval (Node timers may fire a few ms early). */
const POLL_GRACE_MS = 50;

export interface DeviceRecord {
  userCode: string;
  clientId: string;
  scopes: string[];
  offlineAccess: boolean;
  expiresAt: number;
  interval: number;
  lastPollAt: number | null;
  status: "pending" | "approved" | "denied" | "used";
  userId: number | null;
}

/** What a poll of the token endpoint gets. */
export type PollResult =
  | { kind: "error"; error: "incorrect_device_code" | "expired_token" | "access_denied" | "authorization_pending" | "bad_verification_code" }
  | { kind: "slow_down"; interval: number }
  | { kind: "approved"; device: DeviceRecord };

/** `WDJB-MJHT`, `wdjbmjht` and `WDJB MJHT` all name the same code. */
function canonicalUserCode(input: string): string {
  const raw = input.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return raw.length === 8 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : raw;
}

export class DeviceStore {
  private readonly byDeviceCode = new Map<string, DeviceRecord>();
  private readonly byUserCode = new Map<string, DeviceRecord>();

  constructor(
    private readonly now: () => number,
    private readonly interval: number,
  ) {}

  create(clientId: string, scopes: string[], offlineAccess: boolean): { deviceCode: string; device: DeviceRecord } {
    this.prune();
    const deviceCode = newDeviceCode();
    let userCode = newUserCode();
    while (this.byUserCode.has(userCode)) userCode = newUserCode();
    const device: DeviceRecord = {
      userCode,
      clientId,
      scopes,
      offlineAccess,
      expiresAt: this.now() + DEVICE_CODE_TTL_S * 1000,
      interval: this.interval,
      lastPollAt: null,
      status: "pending",
      userId: null,
    };
    this.byDeviceCode.set(digest(deviceCode), device);
    this.byUserCode.set(userCode, device);
    return { deviceCode, device };
  }

  /** A pending, unexpired authorization by user code (as typed by a person), or the reason it is not. */
  pending(userCode: string): DeviceRecord {
    const device = this.byUserCode.get(canonicalUserCode(userCode));
    if (!device) throw new EmulatorError("unknown_user_code", "no device authorization with this user code");
    if (this.now() >= device.expiresAt) throw new EmulatorError("device_code_expired", "this user code has expired");
    if (device.status !== "pending") throw new EmulatorError("device_code_already_used", "this user code was already approved or cancelled");
    return device;
  }

  approve(userCode: string, userId: number): void {
    const device = this.pending(userCode);
    device.status = "approved";
    device.userId = userId;
  }

  deny(userCode: string): void {
    this.pending(userCode).status = "denied";
  }

  /** One poll of the token endpoint with the device grant. */
  poll(clientId: string, deviceCode: string): PollResult {
    const device = this.byDeviceCode.get(digest(deviceCode));
    if (!device || device.clientId !== clientId) return { kind: "error", error: "incorrect_device_code" };
    const now = this.now();
    if (now >= device.expiresAt) return { kind: "error", error: "expired_token" };
    if (device.status === "denied") return { kind: "error", error: "access_denied" };
    if (device.status === "used") return { kind: "error", error: "bad_verification_code" };
    const last = device.lastPollAt;
    device.lastPollAt = now;
    // Polled sooner than the interval: slow_down, and the interval grows for every later poll.
    if (last !== null && now - last < device.interval * 1000 - POLL_GRACE_MS) {
      device.interval += SLOW_DOWN_STEP_S;
      return { kind: "slow_down", interval: device.interval };
    }
    if (device.status === "pending") return { kind: "error", error: "authorization_pending" };
    device.status = "used";
    return { kind: "approved", device };
  }

  private prune(): void {
    const now = this.now();
    // Keep expired entries a while so late polls still read `expired_token` rather than `incorrect_device_code`.
    for (const [key, d] of this.byDeviceCode) {
      if (now >= d.expiresAt + DEVICE_CODE_TTL_S * 1000) {
        this.byDeviceCode.delete(key);
        this.byUserCode.delete(d.userCode);
      }
    }
  }
}

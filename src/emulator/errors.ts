/**
 * Stable codes of {@link EmulatorError}.
 *
 * @example
 * const code: EmulatorErrorCode = "unknown_user";
 */
export type EmulatorErrorCode =
  | "invalid_option"
  | "unknown_user"
  | "duplicate_user"
  | "unknown_app"
  | "unknown_user_code"
  | "device_code_expired"
  | "device_code_already_used"
  | "unknown_route"
  | "listen_failed";

/**
 * Thrown by the emulator's controls and by {@link startGitHubEmulator} on bad input.
 *
 * @example
 * try { gh.approveDevice("NOPE-NOPE", "octocat"); }
 * catch (err) { if (err instanceof EmulatorError && err.code === "unknown_user_code") {} }
 */
export class EmulatorError extends Error {
  override readonly name = "EmulatorError";
  readonly code: EmulatorErrorCode;

  constructor(code: EmulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
